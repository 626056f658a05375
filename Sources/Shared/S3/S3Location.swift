// `s3://bucket/prefix` as the fleet's flags and manifests write it.

/// A bucket and a key prefix, parsed from `s3://bucket` or `s3://bucket/some/prefix/`.
public struct S3Location: Sendable, Hashable, CustomStringConvertible {
    public let bucket: String
    /// The key prefix, without a leading `/`, kept as written (a trailing `/` stays): "" for the whole bucket.
    public let prefix: String

    public init(bucket: String, prefix: String = "") throws(ConfigurationError) {
        try S3Location.checkBucket(bucket, setting: "bucket")
        self.bucket = bucket
        self.prefix = prefix.hasPrefix("/") ? String(prefix.drop { $0 == "/" }) : prefix
    }

    /// Parses `s3://bucket[/prefix]`; `setting` names the flag or variable in the error.
    public init(url: String, setting: String = "S3 URL") throws(ConfigurationError) {
        guard url.hasPrefix("s3://") else {
            throw ConfigurationError(.invalidURL, setting: setting, "'\(url)' does not start with s3://")
        }
        let rest = url.dropFirst(5)
        let bucket: Substring
        let prefix: Substring
        if let slash = rest.firstIndex(of: "/") {
            bucket = rest[..<slash]
            prefix = rest[rest.index(after: slash)...]
        } else {
            bucket = rest
            prefix = ""
        }
        guard !bucket.isEmpty else {
            throw ConfigurationError(.invalidURL, setting: setting, "'\(url)' has no bucket")
        }
        guard !prefix.contains("?"), !prefix.contains("#") else {
            throw ConfigurationError(.invalidURL, setting: setting, "'\(url)' has a query or fragment; S3 URLs are s3://bucket/prefix")
        }
        try S3Location.checkBucket(String(bucket), setting: setting)
        self.bucket = String(bucket)
        self.prefix = String(prefix)
    }

    /// The key of `name` under the prefix, with exactly one `/` between them.
    public func key(_ name: String) -> String {
        if prefix.isEmpty { return name }
        let trimmed = name.hasPrefix("/") ? String(name.dropFirst()) : name
        return prefix.hasSuffix("/") ? prefix + trimmed : prefix + "/" + trimmed
    }

    /// A location one level down: `s3://b/exports` → `s3://b/exports/<name>/`.
    public func appending(_ name: String) -> S3Location {
        let key = self.key(name)
        // The bucket was already checked.
        return try! S3Location(bucket: bucket, prefix: key.hasSuffix("/") ? key : key + "/")
    }

    public var description: String { prefix.isEmpty ? "s3://\(bucket)" : "s3://\(bucket)/\(prefix)" }

    /// S3's bucket naming rules: 3–63 of `a-z 0-9 . -`, starting and ending with a letter or digit.
    static func checkBucket(_ bucket: String, setting: String) throws(ConfigurationError) {
        let bytes = Array(bucket.utf8)
        func isAlnum(_ b: UInt8) -> Bool { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(b) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) }
        guard (3...63).contains(bytes.count) else {
            throw ConfigurationError(.invalidValue, setting: setting, "bucket '\(bucket)' must be 3 to 63 characters")
        }
        guard bytes.allSatisfy({ isAlnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }), isAlnum(bytes.first!), isAlnum(bytes.last!) else {
            throw ConfigurationError(.invalidValue, setting: setting, "bucket '\(bucket)' may hold only a-z, 0-9, '.' and '-', and start and end with a letter or digit")
        }
        guard !bucket.contains("..") else {
            throw ConfigurationError(.invalidValue, setting: setting, "bucket '\(bucket)' has two adjacent dots")
        }
    }

    /// Whether the bucket can be a host name label for virtual-hosted addressing over TLS.
    static func isVirtualHostable(_ bucket: String) -> Bool {
        !bucket.contains(".") && (try? checkBucket(bucket, setting: "bucket")) != nil
    }
}
