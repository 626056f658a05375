// Uploads in parts: the file read part by part, parts sent concurrently, aborted on any failure.

import Foundation
import NIOCore

extension S3Client {
    /// Uploads a file: one PUT below `multipartThreshold`, else a multipart upload of
    /// `partSize` parts (raised if the file would need more than 10,000), `partConcurrency` at a
    /// time, each part's SHA-256 signed. Parts are read from disk as they go, so memory is about
    /// `partSize × partConcurrency`. On any failure or cancellation the upload is aborted, so no
    /// orphan parts are left to bill.
    @discardableResult
    public func upload(bucket: String, key: String, file: URL, contentType: String? = nil) async throws -> S3UploadResult {
        let source: S3ReadableFile
        do {
            source = try S3ReadableFile(file)
        } catch {
            throw classify(error, S3Request(operation: "Upload", method: .PUT, bucket: bucket, key: key, timeout: .zero))
        }
        if source.size < Int64(configuration.multipartThreshold) {
            return try await putObject(bucket: bucket, key: key, source: source, contentType: contentType)
        }
        let partSize = try Self.partSize(forObjectOf: source.size, preferred: configuration.partSize, bucket: bucket, key: key)
        let partCount = Int((source.size + Int64(partSize) - 1) / Int64(partSize))
        let uploadID = try await createMultipartUpload(bucket: bucket, key: key, contentType: contentType)
        do {
            let parts = try await withThrowingTaskGroup(of: S3CompletedPart.self) { group in
                var nextPart = 1
                var completed: [S3CompletedPart] = []
                completed.reserveCapacity(partCount)
                func addPart(_ number: Int, to group: inout ThrowingTaskGroup<S3CompletedPart, any Error>) {
                    let offset = Int64(number - 1) * Int64(partSize)
                    let length = Int(min(Int64(partSize), source.size - offset))
                    group.addTask {
                        try await self.uploadPart(bucket: bucket, key: key, uploadID: uploadID, partNumber: number, source: source, offset: offset, length: length)
                    }
                }
                while nextPart <= min(configuration.partConcurrency, partCount) {
                    addPart(nextPart, to: &group)
                    nextPart += 1
                }
                while let part = try await group.next() {
                    completed.append(part)
                    if nextPart <= partCount {
                        addPart(nextPart, to: &group)
                        nextPart += 1
                    }
                }
                return completed.sorted { $0.partNumber < $1.partNumber }
            }
            let etag = try await completeMultipartUpload(bucket: bucket, key: key, uploadID: uploadID, parts: parts)
            return S3UploadResult(size: source.size, etag: etag, partCount: parts.count)
        } catch {
            await abortAfterFailure(bucket: bucket, key: key, uploadID: uploadID, cause: error)
            throw error
        }
    }

    /// The part size for an object: the preferred one, unless 10,000 parts of it are too few.
    static func partSize(forObjectOf size: Int64, preferred: Int, bucket: String, key: String) throws -> Int {
        let needed = (size + Int64(S3Configuration.maximumPartCount) - 1) / Int64(S3Configuration.maximumPartCount)
        let mebibyte = Int64(S3Configuration.mebibyte)
        let rounded = (needed + mebibyte - 1) / mebibyte * mebibyte
        let partSize = max(Int64(preferred), rounded)
        guard partSize <= Int64(S3Configuration.maximumPartSize) else {
            throw S3Error(.invalidRequest, operation: "Upload", bucket: bucket, key: key, "\(size) bytes do not fit in 10,000 parts of at most 5 GiB")
        }
        return Int(partSize)
    }

    /// Aborts in a task of its own: the caller may be cancelled, and the abort must still go out.
    private func abortAfterFailure(bucket: String, key: String, uploadID: String, cause: any Error) async {
        let client = self
        let aborted = await Task {
            do {
                try await client.abortMultipartUpload(bucket: bucket, key: key, uploadID: uploadID)
                return true
            } catch {
                client.logger.warning("could not abort a failed multipart upload; a lifecycle rule must clean it", metadata: [
                    "bucket": "\(bucket)", "key": "\(key)", "upload_id": "\(uploadID)", "error": "\(error)",
                ])
                return false
            }
        }.value
        if aborted {
            logger.notice("multipart upload aborted", metadata: ["bucket": "\(bucket)", "key": "\(key)", "cause": "\(cause)"])
        }
    }

    // MARK: The multipart API, for callers that produce parts themselves

    /// Starts a multipart upload and returns its upload id.
    public func createMultipartUpload(bucket: String, key: String, contentType: String? = nil) async throws -> String {
        var request = S3Request(operation: "CreateMultipartUpload", method: .POST, bucket: bucket, key: key, timeout: configuration.requestTimeout)
        request.query = [("uploads", "")]
        if let contentType { request.headers.append(("content-type", contentType)) }
        return try await perform(request) { response in
            let xml = try S3XMLParser.parse(try await response.body.collect(upTo: 1 << 20))
            guard let uploadID = xml.value("UploadId"), !uploadID.isEmpty else {
                throw S3Error(.malformedResponse, operation: "CreateMultipartUpload", bucket: bucket, key: key, "no UploadId in the answer")
            }
            return uploadID
        }
    }

    /// Uploads one part (numbered from 1) from a buffer, its SHA-256 signed.
    public func uploadPart(bucket: String, key: String, uploadID: String, partNumber: Int, body: ByteBuffer) async throws -> S3CompletedPart {
        var request = partRequest(bucket: bucket, key: key, uploadID: uploadID, partNumber: partNumber)
        request.setBody(body)
        return try await sendPart(request, partNumber: partNumber, size: body.readableBytes)
    }

    private func uploadPart(bucket: String, key: String, uploadID: String, partNumber: Int, source: S3ReadableFile, offset: Int64, length: Int) async throws -> S3CompletedPart {
        var request = partRequest(bucket: bucket, key: key, uploadID: uploadID, partNumber: partNumber)
        do {
            request.setBody(try source.read(offset: offset, length: length))
        } catch {
            throw classify(error, request)
        }
        return try await sendPart(request, partNumber: partNumber, size: length)
    }

    private func partRequest(bucket: String, key: String, uploadID: String, partNumber: Int) -> S3Request {
        var request = S3Request(operation: "UploadPart", method: .PUT, bucket: bucket, key: key, timeout: configuration.transferTimeout)
        request.query = [("partNumber", String(partNumber)), ("uploadId", uploadID)]
        return request
    }

    private func sendPart(_ request: S3Request, partNumber: Int, size: Int) async throws -> S3CompletedPart {
        try await perform(request) { response in
            guard let etag = response.headers.first(name: "etag") else {
                throw S3Error(.malformedResponse, operation: "UploadPart", bucket: request.bucket, key: request.key, statusCode: Int(response.status.code), "no ETag for part \(partNumber)")
            }
            try await S3Client.drain(response)
            return S3CompletedPart(partNumber: partNumber, etag: S3ETag.unquoted(etag), size: size)
        }
    }

    /// Completes an upload from its parts (in part-number order) and returns the object's ETag.
    /// S3 may answer 200 with an `<Error>` body here; that is an error too (retried if S3's own).
    public func completeMultipartUpload(bucket: String, key: String, uploadID: String, parts: [S3CompletedPart]) async throws -> String {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        for part in parts {
            xml += "<Part><ETag>\(S3XMLParser.escape(S3ETag.quoted(part.etag)))</ETag><PartNumber>\(part.partNumber)</PartNumber></Part>"
        }
        xml += "</CompleteMultipartUpload>"
        var request = S3Request(operation: "CompleteMultipartUpload", method: .POST, bucket: bucket, key: key, timeout: configuration.transferTimeout)
        request.query = [("uploadId", uploadID)]
        request.headers.append(("content-type", "application/xml"))
        request.setBody(ByteBuffer(string: xml))
        return try await perform(request) { response in
            let root = try S3XMLParser.parse(try await response.body.collect(upTo: 1 << 20))
            if root.name == "Error" {
                throw S3Error(
                    .httpStatus, operation: "CompleteMultipartUpload", bucket: bucket, key: key, statusCode: Int(response.status.code),
                    s3Code: root.value("Code"), requestID: root.value("RequestId"), root.value("Message") ?? "error in a 200 answer"
                )
            }
            guard let etag = root.value("ETag") ?? response.headers.first(name: "etag") else {
                throw S3Error(.malformedResponse, operation: "CompleteMultipartUpload", bucket: bucket, key: key, "no ETag in the answer")
            }
            return S3ETag.unquoted(etag)
        }
    }

    /// Aborts an upload, freeing its parts. Aborting one already gone (`NoSuchUpload`) succeeds.
    public func abortMultipartUpload(bucket: String, key: String, uploadID: String) async throws {
        var request = S3Request(operation: "AbortMultipartUpload", method: .DELETE, bucket: bucket, key: key, timeout: configuration.requestTimeout)
        request.query = [("uploadId", uploadID)]
        request.acceptNotFound = true
        try await perform(request) { response in try await S3Client.drain(response) }
    }

    /// Uploads started and not finished, under `prefix` (the first 1,000).
    public func listMultipartUploads(bucket: String, prefix: String? = nil) async throws -> [S3MultipartUploadSummary] {
        var request = S3Request(operation: "ListMultipartUploads", method: .GET, bucket: bucket, key: nil, timeout: configuration.requestTimeout)
        request.query = [("uploads", "")]
        if let prefix, !prefix.isEmpty { request.query.append(("prefix", prefix)) }
        return try await perform(request) { response in
            let root = try S3XMLParser.parse(try await response.body.collect(upTo: 16 << 20))
            return root.children(named: "Upload").compactMap { upload in
                guard let key = upload.value("Key"), let id = upload.value("UploadId") else { return nil }
                return S3MultipartUploadSummary(key: key, uploadID: id)
            }
        }
    }
}
