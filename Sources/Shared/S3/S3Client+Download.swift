// GETs that stream: to the caller as buffers, or to a file chunk by chunk.

import Foundation
import NIOCore

extension S3Client {
    /// Starts a GET and returns once the headers are in; the body streams as it is read. Retries
    /// cover getting the headers only: a body cut off mid-way is the reader's error to handle
    /// (`download(bucket:key:to:)` handles it by starting over). The body must be read within
    /// `transferTimeout` of the request's start.
    /// - Parameter range: bytes to fetch (inclusive), or the whole object.
    public func getObject(bucket: String, key: String, range: ClosedRange<Int64>? = nil) async throws -> S3ObjectStream {
        var request = S3Request(operation: "GetObject", method: .GET, bucket: bucket, key: key, timeout: configuration.transferTimeout)
        if let range { request.headers.append(("range", "bytes=\(range.lowerBound)-\(range.upperBound)")) }
        return try await perform(request) { response in
            S3ObjectStream(metadata: S3ObjectMetadata(response: response), body: response.body)
        }
    }

    /// Writes an object to `file` as it arrives (memory stays at a few chunks), under a
    /// temporary name renamed into place when complete. A transfer cut off mid-way is retried
    /// from the start, within the retry policy.
    @discardableResult
    public func download(bucket: String, key: String, to file: URL) async throws -> S3ObjectMetadata {
        let request = S3Request(operation: "GetObject", method: .GET, bucket: bucket, key: key, timeout: configuration.transferTimeout)
        let target: S3WritableFile
        do {
            target = try S3WritableFile(destination: file)
        } catch {
            throw classify(error, request)
        }
        let metadata = try await perform(request) { response in
            let metadata = S3ObjectMetadata(response: response)
            try target.reset()
            for try await chunk in response.body {
                try target.write(chunk)
            }
            if response.headers.first(name: "content-length") != nil, target.written != metadata.size {
                throw S3Error(.transport, operation: "GetObject", bucket: bucket, key: key, "the body ended after \(target.written) of \(metadata.size) bytes")
            }
            return S3ObjectMetadata(size: target.written, etag: metadata.etag, lastModified: metadata.lastModified, contentType: metadata.contentType)
        }
        do {
            try target.commit()
        } catch {
            throw classify(error, request)
        }
        return metadata
    }
}
