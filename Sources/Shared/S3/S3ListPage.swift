// One page of a ListObjectsV2 answer.

import Foundation

/// An object in a listing. The ETag is bare (no quotes); for multipart objects it is not an MD5.
public struct S3ObjectSummary: Sendable, Equatable {
    public let key: String
    public let size: Int64
    public let etag: String?
    public let lastModified: Date?

    public init(key: String, size: Int64, etag: String?, lastModified: Date?) {
        self.key = key
        self.size = size
        self.etag = etag
        self.lastModified = lastModified
    }
}

/// Objects (and, with a delimiter, common prefixes) of one page, and the token for the next.
public struct S3ListPage: Sendable, Equatable {
    public let objects: [S3ObjectSummary]
    public let commonPrefixes: [String]
    /// Set when `isTruncated`: pass it to get the next page.
    public let nextContinuationToken: String?
    public let isTruncated: Bool

    public init(objects: [S3ObjectSummary], commonPrefixes: [String], nextContinuationToken: String?, isTruncated: Bool) {
        self.objects = objects
        self.commonPrefixes = commonPrefixes
        self.nextContinuationToken = nextContinuationToken
        self.isTruncated = isTruncated
    }

    init(xml root: S3XMLElement) throws {
        guard root.name == "ListBucketResult" else { throw S3XMLError(message: "expected ListBucketResult, got \(root.name)") }
        var objects: [S3ObjectSummary] = []
        for element in root.children(named: "Contents") {
            guard let key = element.value("Key") else { throw S3XMLError(message: "Contents without Key") }
            objects.append(S3ObjectSummary(
                key: key,
                size: element.value("Size").flatMap { Int64($0) } ?? 0,
                etag: element.value("ETag").map(S3ETag.unquoted),
                lastModified: element.value("LastModified").flatMap(AWSTimestamp.parseISO8601)
            ))
        }
        self.init(
            objects: objects,
            commonPrefixes: root.children(named: "CommonPrefixes").compactMap { $0.value("Prefix") },
            nextContinuationToken: root.value("NextContinuationToken").flatMap { $0.isEmpty ? nil : $0 },
            isTruncated: root.value("IsTruncated") == "true"
        )
    }
}
