// Where S3 is, how to address buckets, and how big, how parallel and how patient uploads are.

import Foundation

/// S3 client settings. Defaults suit AWS S3 from a worker pod; `init(environment:)` reads the
/// standard AWS variables plus a few `BLOCKFLEET_S3_*` ones.
public struct S3Configuration: Sendable, Equatable {
    public static let mebibyte = 1 << 20
    /// S3 refuses parts smaller than this (but the last).
    public static let minimumPartSize = 5 << 20
    /// S3's largest part.
    public static let maximumPartSize = 5 << 30
    /// S3's most parts in one upload.
    public static let maximumPartCount = 10_000

    public enum AddressingStyle: String, Sendable, Equatable {
        /// `https://bucket.s3.region.amazonaws.com/key`: AWS's preferred form.
        case virtualHosted = "virtual-hosted"
        /// `http://endpoint/bucket/key`: what local and most self-hosted servers (SeaweedFS, MinIO) need.
        case path
    }

    /// Signing region. Default `us-east-1`.
    public var region: String
    /// A custom endpoint (`http://127.0.0.1:58333`); nil means AWS (`https://s3.{region}.amazonaws.com`).
    public var endpoint: URL?
    /// Default: virtual-hosted for AWS, path-style for a custom endpoint.
    public var addressingStyle: AddressingStyle
    /// Files at least this big go up in parts. Default 16 MiB.
    public var multipartThreshold: Int
    /// Part size for multipart uploads, at least 5 MiB; raised when a file would need more than
    /// 10,000 parts. Default 16 MiB.
    public var partSize: Int
    /// Parts in flight at once for one upload. Default 4 (each holds a part in memory).
    public var partConcurrency: Int
    public var retry: S3RetryPolicy
    /// Deadline of a request without a large body (HEAD, list, delete, create/complete upload).
    /// Default 30 s.
    public var requestTimeout: Duration
    /// Deadline of one object or part transfer (PUT, UploadPart, GET streamed). Default 15 min:
    /// a 16 MiB part at a poor 1 MiB/s still fits many times over, a hung one ends.
    public var transferTimeout: Duration

    public init(
        region: String = "us-east-1",
        endpoint: URL? = nil,
        addressingStyle: AddressingStyle? = nil,
        multipartThreshold: Int = 16 << 20,
        partSize: Int = 16 << 20,
        partConcurrency: Int = 4,
        retry: S3RetryPolicy = S3RetryPolicy(),
        requestTimeout: Duration = .seconds(30),
        transferTimeout: Duration = .seconds(900)
    ) {
        self.region = region
        self.endpoint = endpoint
        self.addressingStyle = addressingStyle ?? (endpoint == nil ? .virtualHosted : .path)
        self.multipartThreshold = multipartThreshold
        self.partSize = partSize
        self.partConcurrency = partConcurrency
        self.retry = retry
        self.requestTimeout = requestTimeout
        self.transferTimeout = transferTimeout
    }

    /// The endpoint requests go to: the custom one, or AWS's regional one.
    public var resolvedEndpoint: URL {
        endpoint ?? URL(string: "https://s3.\(region).amazonaws.com")!
    }

    /// Checks the limits S3 imposes, naming the setting at fault.
    public func validate() throws(ConfigurationError) {
        guard !region.isEmpty, region.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else {
            throw ConfigurationError(.invalidValue, setting: "region", "'\(region)' is not a region name")
        }
        if let endpoint {
            try Self.checkEndpoint(endpoint.absoluteString, setting: "endpoint")
        }
        guard (Self.minimumPartSize...Self.maximumPartSize).contains(partSize) else {
            throw ConfigurationError(.invalidValue, setting: "partSize", "\(partSize) bytes is outside S3's 5 MiB…5 GiB")
        }
        guard multipartThreshold >= 1 else {
            throw ConfigurationError(.invalidValue, setting: "multipartThreshold", "must be positive")
        }
        guard (1...64).contains(partConcurrency) else {
            throw ConfigurationError(.invalidValue, setting: "partConcurrency", "\(partConcurrency) is outside 1…64")
        }
    }

    @discardableResult
    static func checkEndpoint(_ text: String, setting: String) throws(ConfigurationError) -> URL {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty
        else {
            throw ConfigurationError(.invalidURL, setting: setting, "'\(text)' is not an http(s) URL with a host")
        }
        guard url.query == nil, url.user == nil, url.password == nil else {
            throw ConfigurationError(.invalidURL, setting: setting, "an endpoint has no query or user part")
        }
        return url
    }
}
