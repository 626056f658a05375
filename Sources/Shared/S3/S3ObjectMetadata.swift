// What HEAD (and GET) say about an object.

import AsyncHTTPClient
import Foundation

/// Size, ETag (without its quotes), modification time and content type of an object.
public struct S3ObjectMetadata: Sendable, Equatable {
    public let size: Int64
    public let etag: String?
    public let lastModified: Date?
    public let contentType: String?

    public init(size: Int64, etag: String?, lastModified: Date? = nil, contentType: String? = nil) {
        self.size = size
        self.etag = etag
        self.lastModified = lastModified
        self.contentType = contentType
    }
}

extension S3ObjectMetadata {
    init(response: HTTPClientResponse) {
        let headers = response.headers
        self.init(
            size: headers.first(name: "content-length").flatMap { Int64($0) } ?? 0,
            etag: headers.first(name: "etag").map(S3ETag.unquoted),
            lastModified: headers.first(name: "last-modified").flatMap(AWSTimestamp.parseRFC1123),
            contentType: headers.first(name: "content-type")
        )
    }
}

/// ETags travel quoted (`"9b2cf535f27731c974343645a3985328"`); results hold them bare.
enum S3ETag {
    static func unquoted(_ value: String) -> String {
        var text = Substring(value.trimmingCharacters(in: .whitespaces))
        if text.hasPrefix("W/") { text = text.dropFirst(2) }
        if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") { text = text.dropFirst().dropLast() }
        return String(text)
    }

    static func quoted(_ value: String) -> String {
        value.hasPrefix("\"") ? value : "\"\(value)\""
    }
}
