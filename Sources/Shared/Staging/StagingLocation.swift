// Where exported files are staged for loaders: a local folder or an S3 prefix.

import Foundation

/// The parsed `BLOCKFLEET_STAGING_URL`: `file:///path` (the local default) or `s3://bucket/prefix`.
public enum StagingLocation: Sendable, Equatable, CustomStringConvertible {
    case file(root: String)
    case s3(bucket: String, prefix: String)

    /// `.local/staging` under the working directory: a single-machine fleet needs no setup.
    public static var localDefault: StagingLocation {
        .file(root: URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".local/staging").path)
    }

    /// Reads `BLOCKFLEET_STAGING_URL`, defaulting to `localDefault`.
    public init(environment: Environment) throws(ConfigurationError) {
        if let text = environment.string("BLOCKFLEET_STAGING_URL") {
            self = try StagingLocation(parsing: text, setting: "BLOCKFLEET_STAGING_URL")
        } else {
            self = .localDefault
        }
    }

    public init(parsing text: String, setting: String) throws(ConfigurationError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw ConfigurationError(.invalidURL, setting: setting, "'\(text)' is not a URL; use file:///path or s3://bucket/prefix")
        }
        switch scheme {
        case "file":
            guard components.host == nil || components.host == "" || components.host == "localhost" else {
                throw ConfigurationError(.invalidURL, setting: setting, "file URLs name a local path: file:///path, got '\(text)'")
            }
            let path = components.percentEncodedPath.removingPercentEncoding ?? components.path
            guard path.hasPrefix("/"), path.count > 1 else {
                throw ConfigurationError(.invalidURL, setting: setting, "file URL needs an absolute folder: file:///path, got '\(text)'")
            }
            self = .file(root: path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path)
        case "s3":
            guard let bucket = components.host, StagingLocation.isValidBucket(bucket) else {
                throw ConfigurationError(.invalidURL, setting: setting, "s3 URL needs a bucket name (3-63 lower-case letters, digits, '.', '-'): s3://bucket/prefix, got '\(text)'")
            }
            var prefix = components.path
            while prefix.hasPrefix("/") { prefix.removeFirst() }
            while prefix.hasSuffix("/") { prefix.removeLast() }
            self = .s3(bucket: bucket, prefix: prefix)
        default:
            throw ConfigurationError(.invalidURL, setting: setting, "unsupported scheme '\(scheme)'; use file:///path or s3://bucket/prefix")
        }
    }

    /// S3's bucket naming rules, checked early so a typo fails at start-up, not at the first upload.
    public static func isValidBucket(_ name: String) -> Bool {
        guard (3...63).contains(name.count) else { return false }
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789.-")
        guard name.allSatisfy(allowed.contains) else { return false }
        guard let first = name.first, let last = name.last else { return false }
        return first.isLetter || first.isNumber ? (last.isLetter || last.isNumber) : false
    }

    public var description: String {
        switch self {
        case .file(let root): return "file://\(root)"
        case .s3(let bucket, let prefix): return prefix.isEmpty ? "s3://\(bucket)" : "s3://\(bucket)/\(prefix)"
        }
    }
}

extension StagingLocation {
    /// The key prefix objects go under: the S3 prefix, or none for a folder (the folder is the root).
    public var keyPrefix: String {
        switch self {
        case .file: return ""
        case .s3(_, let prefix): return prefix
        }
    }
}
