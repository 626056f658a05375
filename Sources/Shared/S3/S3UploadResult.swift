// What an upload leaves behind, and the pieces of a multipart upload.

/// A stored object: its size and ETag (bare, no quotes). `partCount` is 0 for a single PUT.
public struct S3UploadResult: Sendable, Equatable {
    public let size: Int64
    public let etag: String
    public let partCount: Int

    public init(size: Int64, etag: String, partCount: Int) {
        self.size = size
        self.etag = etag
        self.partCount = partCount
    }
}

/// An uploaded part, as CompleteMultipartUpload needs it.
public struct S3CompletedPart: Sendable, Equatable {
    public let partNumber: Int
    /// Bare ETag (no quotes).
    public let etag: String
    public let size: Int

    public init(partNumber: Int, etag: String, size: Int) {
        self.partNumber = partNumber
        self.etag = etag
        self.size = size
    }
}

/// A multipart upload that was started and neither completed nor aborted.
public struct S3MultipartUploadSummary: Sendable, Equatable {
    public let key: String
    public let uploadID: String

    public init(key: String, uploadID: String) {
        self.key = key
        self.uploadID = uploadID
    }
}
