// Single-request object operations: PUT, HEAD, DELETE, and GET of small objects.

import Foundation
import NIOCore

extension S3Client {
    /// Stores `body` in one PUT, its SHA-256 signed. For objects up to a few hundred MiB; larger
    /// files go through `upload(bucket:key:file:)`.
    @discardableResult
    public func putObject(bucket: String, key: String, body: ByteBuffer, contentType: String? = nil) async throws -> S3UploadResult {
        var request = S3Request(operation: "PutObject", method: .PUT, bucket: bucket, key: key, timeout: configuration.transferTimeout)
        if let contentType { request.headers.append(("content-type", contentType)) }
        request.setBody(body)
        return try await perform(request) { response in
            guard let etag = response.headers.first(name: "etag") else {
                throw S3Error(.malformedResponse, operation: "PutObject", bucket: bucket, key: key, statusCode: Int(response.status.code), "no ETag in the answer")
            }
            try await S3Client.drain(response)
            return S3UploadResult(size: Int64(body.readableBytes), etag: S3ETag.unquoted(etag), partCount: 0)
        }
    }

    /// Stores a file in one PUT, streamed from disk: it is read once to hash it (the hash is
    /// signed), then again as it is sent, so memory does not grow with the file.
    @discardableResult
    public func putObject(bucket: String, key: String, file: URL, contentType: String? = nil) async throws -> S3UploadResult {
        let source: S3ReadableFile
        do {
            source = try S3ReadableFile(file)
        } catch {
            throw classify(error, S3Request(operation: "PutObject", method: .PUT, bucket: bucket, key: key, timeout: .zero))
        }
        return try await putObject(bucket: bucket, key: key, source: source, contentType: contentType)
    }

    func putObject(bucket: String, key: String, source: S3ReadableFile, contentType: String?) async throws -> S3UploadResult {
        var request = S3Request(operation: "PutObject", method: .PUT, bucket: bucket, key: key, timeout: configuration.transferTimeout)
        if let contentType { request.headers.append(("content-type", contentType)) }
        do {
            request.payloadHash = try source.sha256(offset: 0, length: source.size)
        } catch {
            throw classify(error, request)
        }
        request.body = .file(source, offset: 0, length: source.size)
        return try await perform(request) { response in
            guard let etag = response.headers.first(name: "etag") else {
                throw S3Error(.malformedResponse, operation: "PutObject", bucket: bucket, key: key, statusCode: Int(response.status.code), "no ETag in the answer")
            }
            try await S3Client.drain(response)
            return S3UploadResult(size: source.size, etag: S3ETag.unquoted(etag), partCount: 0)
        }
    }

    /// The object's size and ETag, or nil when there is no such object.
    public func headObject(bucket: String, key: String) async throws -> S3ObjectMetadata? {
        var request = S3Request(operation: "HeadObject", method: .HEAD, bucket: bucket, key: key, timeout: configuration.requestTimeout)
        request.acceptNotFound = true
        return try await perform(request) { response in
            response.status.code == 404 ? nil : S3ObjectMetadata(response: response)
        }
    }

    /// Deletes an object; deleting a missing object succeeds, as in S3.
    public func deleteObject(bucket: String, key: String) async throws {
        var request = S3Request(operation: "DeleteObject", method: .DELETE, bucket: bucket, key: key, timeout: configuration.requestTimeout)
        request.acceptNotFound = true
        try await perform(request) { response in try await S3Client.drain(response) }
    }

    /// A small object (a manifest, a marker) in one buffer; more than `maxBytes` is an error.
    public func getObjectBytes(bucket: String, key: String, maxBytes: Int = 64 << 20) async throws -> ByteBuffer {
        let request = S3Request(operation: "GetObject", method: .GET, bucket: bucket, key: key, timeout: configuration.transferTimeout)
        return try await perform(request) { response in
            if let length = response.headers.first(name: "content-length").flatMap(Int.init), length > maxBytes {
                throw S3Error(.invalidRequest, operation: "GetObject", bucket: bucket, key: key, "the object has \(length) bytes, more than the \(maxBytes) asked for")
            }
            return try await response.body.collect(upTo: maxBytes)
        }
    }
}
