// Creating and deleting buckets: for tests and local setups (production buckets come from Terraform).

import NIOCore

extension S3Client {
    /// Creates a bucket (a LocationConstraint is sent outside us-east-1). An existing bucket of
    /// ours (`BucketAlreadyOwnedByYou`) counts as created.
    public func createBucket(_ bucket: String) async throws {
        try S3Location.checkBucket(bucket, setting: "bucket")
        var request = S3Request(operation: "CreateBucket", method: .PUT, bucket: bucket, key: nil, timeout: configuration.requestTimeout)
        if configuration.region != "us-east-1" {
            request.setBody(ByteBuffer(string:
                "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>\(configuration.region)</LocationConstraint></CreateBucketConfiguration>"
            ))
        }
        do {
            try await perform(request) { response in try await S3Client.drain(response) }
        } catch let error as S3Error where error.s3Code == "BucketAlreadyOwnedByYou" {
            return
        }
    }

    /// Deletes an empty bucket.
    public func deleteBucket(_ bucket: String) async throws {
        let request = S3Request(operation: "DeleteBucket", method: .DELETE, bucket: bucket, key: nil, timeout: configuration.requestTimeout)
        try await perform(request) { response in try await S3Client.drain(response) }
    }

    /// Whether the bucket exists and these credentials may use it (HEAD bucket: 200, else 404).
    public func bucketExists(_ bucket: String) async throws -> Bool {
        var request = S3Request(operation: "HeadBucket", method: .HEAD, bucket: bucket, key: nil, timeout: configuration.requestTimeout)
        request.acceptNotFound = true
        return try await perform(request) { response in response.status.code != 404 }
    }
}
