// The client against a real S3 server (SeaweedFS from scripts/s3): round trips, odd keys,
// pagination, multipart with abort, and refused requests. Each test has its own bucket.

import AsyncHTTPClient
import Foundation
import NIOCore
import Shared
import Testing

@Suite("S3 against a real server", .enabled(if: S3TestServer.isConfigured, S3TestServer.skipReason), .timeLimit(.minutes(2)))
struct S3IntegrationTests {
    @Test("put, head, get (whole, streamed, to a file), list in pages of 3, delete: exact bytes throughout")
    func roundTrip() async throws {
        try await S3TestServer.withClient { client in
            try await S3TestServer.withBucket(client) { bucket in
                let body = S3TestServer.randomBuffer(300_001)
                let put = try await client.putObject(bucket: bucket, key: "data/object.bin", body: body, contentType: "application/octet-stream")
                #expect(put.size == 300_001 && put.partCount == 0 && !put.etag.isEmpty)

                let head = try #require(try await client.headObject(bucket: bucket, key: "data/object.bin"))
                #expect(head.size == 300_001 && head.etag == put.etag)
                #expect(try await client.getObjectBytes(bucket: bucket, key: "data/object.bin") == body)

                var streamed = ByteBuffer()
                var chunks = 0
                for try await var chunk in try await client.getObject(bucket: bucket, key: "data/object.bin") {
                    streamed.writeBuffer(&chunk)
                    chunks += 1
                }
                #expect(streamed == body && chunks >= 1)

                let ranged = try await client.getObject(bucket: bucket, key: "data/object.bin", range: 10...19).collect(upTo: 100)
                #expect(ranged == body.getSlice(at: 10, length: 10))

                let directory = try S3TestServer.temporaryDirectory()
                defer { try? FileManager.default.removeItem(at: directory) }
                let file = directory.appendingPathComponent("download.bin")
                let downloaded = try await client.download(bucket: bucket, key: "data/object.bin", to: file)
                #expect(downloaded.size == 300_001)
                #expect(try Data(contentsOf: file) == Data(body.readableBytesView))
                #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["download.bin"], "no temporary file left")

                for i in 0..<7 {
                    try await client.putObject(bucket: bucket, key: "list/item-\(i)", body: ByteBuffer(string: "item \(i)"))
                }
                var pages: [[String]] = []
                for try await page in client.listObjectsV2(bucket: bucket, prefix: "list/", pageSize: 3) {
                    pages.append(page.objects.map(\.key))
                }
                #expect(pages == [["list/item-0", "list/item-1", "list/item-2"], ["list/item-3", "list/item-4", "list/item-5"], ["list/item-6"]])
                let all = try await client.listAllObjects(bucket: bucket, prefix: "list/", pageSize: 3)
                #expect(all.count == 7 && all.allSatisfy { $0.size == 6 })
                let delimited = try await client.listObjectsV2Page(bucket: bucket, delimiter: "/")
                #expect(delimited.commonPrefixes == ["data/", "list/"])

                try await client.deleteObject(bucket: bucket, key: "data/object.bin")
                #expect(try await client.headObject(bucket: bucket, key: "data/object.bin") == nil)
                await #expect {
                    _ = try await client.getObjectBytes(bucket: bucket, key: "data/object.bin")
                } throws: { error in
                    let error = error as? S3Error
                    return error?.statusCode == 404 && error?.s3Code == "NoSuchKey"
                }
                try await client.deleteObject(bucket: bucket, key: "data/object.bin") // missing: still fine
            }
        }
    }

    @Test("keys with spaces, unicode, '=', '+', '%', '&' and friends round-trip and list", arguments: [
        "dir with space/file name.txt",
        "ünïcödé/データ/✓.json",
        "k=v&x+y/100%/a;b,c:d@e!$'()*.bin",
        "tilde~/under_score/-dash.dot.",
    ])
    func oddKeys(key: String) async throws {
        try await S3TestServer.withClient { client in
            try await S3TestServer.withBucket(client) { bucket in
                let body = ByteBuffer(string: "key: \(key)")
                try await client.putObject(bucket: bucket, key: key, body: body)
                #expect(try await client.getObjectBytes(bucket: bucket, key: key) == body)
                #expect(try await client.headObject(bucket: bucket, key: key)?.size == Int64(body.readableBytes))
                let prefix = String(key.prefix { $0 != "/" }) + "/"
                #expect(try await client.listAllObjects(bucket: bucket, prefix: prefix).map(\.key) == [key])
                try await client.deleteObject(bucket: bucket, key: key)
                #expect(try await client.headObject(bucket: bucket, key: key) == nil)
            }
        }
    }

    @Test("a file below the threshold goes up in one streamed PUT")
    func singlePutFromFile() async throws {
        try await S3TestServer.withClient { client in
            try await S3TestServer.withBucket(client) { bucket in
                let directory = try S3TestServer.temporaryDirectory()
                defer { try? FileManager.default.removeItem(at: directory) }
                let (file, sha) = try S3TestServer.randomFile(size: 3 << 20, in: directory)
                let result = try await client.upload(bucket: bucket, key: "single.bin", file: file)
                #expect(result.partCount == 0 && result.size == 3 << 20)
                let back = directory.appendingPathComponent("back.bin")
                try await client.download(bucket: bucket, key: "single.bin", to: back)
                #expect(try S3TestServer.sha256(of: back) == sha)
            }
        }
    }

    @Test("multipart: ~12 MiB in 5 MiB parts, downloaded SHA-256 equal to the uploaded")
    func multipart() async throws {
        try await S3TestServer.withClient({ configuration in
            configuration.multipartThreshold = 5 << 20
            configuration.partSize = 5 << 20
            configuration.partConcurrency = 2
        }) { client in
            try await S3TestServer.withBucket(client) { bucket in
                let directory = try S3TestServer.temporaryDirectory()
                defer { try? FileManager.default.removeItem(at: directory) }
                let size = 12 << 20 + 12_345
                let (file, sha) = try S3TestServer.randomFile(size: size, in: directory)
                let result = try await client.upload(bucket: bucket, key: "exports/blocks 0-9999.parquet", file: file, contentType: "application/vnd.apache.parquet")
                #expect(result.partCount == 3 && result.size == Int64(size))
                let head = try #require(try await client.headObject(bucket: bucket, key: "exports/blocks 0-9999.parquet"))
                #expect(head.size == Int64(size))
                let back = directory.appendingPathComponent("back.bin")
                try await client.download(bucket: bucket, key: "exports/blocks 0-9999.parquet", to: back)
                #expect(try S3TestServer.sha256(of: back) == sha)
                #expect(try await client.listMultipartUploads(bucket: bucket).isEmpty)
            }
        }
    }

    /// Starts a slow multipart upload (1 part in flight) and runs `interrupt` once S3 lists it.
    private func interruptedUpload(_ interrupt: @escaping @Sendable (URL, Task<S3UploadResult, any Error>) async throws -> Void) async throws -> any Error {
        try await S3TestServer.withClient({ configuration in
            configuration.multipartThreshold = 5 << 20
            configuration.partSize = 5 << 20
            configuration.partConcurrency = 1
        }) { client in
            try await S3TestServer.withBucket(client) { bucket in
                let directory = try S3TestServer.temporaryDirectory()
                defer { try? FileManager.default.removeItem(at: directory) }
                let (file, _) = try S3TestServer.randomFile(size: 120 << 20, in: directory)
                let upload = Task { try await client.upload(bucket: bucket, key: "doomed.bin", file: file) }
                let deadline = ContinuousClock.now + .seconds(30)
                while try await client.listMultipartUploads(bucket: bucket).isEmpty {
                    guard ContinuousClock.now < deadline else { Issue.record("the upload never started"); break }
                    try await Task.sleep(for: .milliseconds(10))
                }
                try await interrupt(file, upload)
                let outcome = await upload.result
                guard case .failure(let error) = outcome else {
                    Issue.record("the upload finished before it could be interrupted")
                    return CancellationError() as any Error
                }
                #expect(try await client.listMultipartUploads(bucket: bucket).isEmpty, "aborted: no upload left")
                #expect(try await client.headObject(bucket: bucket, key: "doomed.bin") == nil, "no object")
                return error
            }
        }
    }

    @Test("multipart: the file shrinking mid-upload aborts the upload, with a file error")
    func abortWhenFileShrinks() async throws {
        let error = try await interruptedUpload { file, _ in
            let handle = try FileHandle(forWritingTo: file)
            try handle.truncate(atOffset: 0)
            try handle.close()
        }
        let s3Error = try #require(error as? S3Error, "\(error)")
        #expect(s3Error.code == .file && s3Error.operation == "UploadPart" && s3Error.message.contains("shrank or vanished"))
    }

    @Test("multipart: cancelling the upload aborts it")
    func abortWhenCancelled() async throws {
        let error = try await interruptedUpload { _, upload in upload.cancel() }
        #expect(error is CancellationError, "\(error)")
    }

    @Test("a request signed with a wrong secret is refused with 403 and S3's code, and the error holds no secret")
    func wrongSecret() async throws {
        let wrong = AWSCredentials(accessKeyID: S3TestServer.credentials.accessKeyID, secretAccessKey: "definitely-the-wrong-secret-42")
        try await S3TestServer.withClient { client in
            try await S3TestServer.withBucket(client) { bucket in
                try await S3TestServer.withClient(credentials: wrong) { impostor in
                    await #expect {
                        try await impostor.putObject(bucket: bucket, key: "x", body: ByteBuffer(string: "x"))
                    } throws: { error in
                        guard let error = error as? S3Error else { return false }
                        let text = "\(error)"
                        return error.statusCode == 403 && error.s3Code == "SignatureDoesNotMatch" && !error.isRetryable
                            && !text.contains("definitely-the-wrong-secret-42") && !text.contains(S3TestServer.credentials.secretAccessKey)
                            && !text.contains("Signature=")
                    }
                }
                #expect(try await client.headObject(bucket: bucket, key: "x") == nil)
            }
        }
    }

    @Test("anonymous (unsigned) requests are refused")
    func anonymous() async throws {
        try await S3TestServer.withClient { client in
            try await S3TestServer.withBucket(client) { bucket in
                try await client.putObject(bucket: bucket, key: "private.txt", body: ByteBuffer(string: "private"))
                for (method, body) in [("GET", nil), ("PUT", "overwrite")] as [(String, String?)] {
                    var request = HTTPClientRequest(url: client.url(bucket: bucket, key: "private.txt"))
                    request.method = .init(rawValue: method)
                    if let body { request.body = .bytes(ByteBuffer(string: body)) }
                    let response = try await client.httpClient.execute(request, timeout: .seconds(10))
                    let text = String(buffer: try await response.body.collect(upTo: 1 << 16))
                    #expect(response.status.code == 403, "\(method): \(response.status) \(text)")
                    #expect(text.contains("AccessDenied"), "\(text)")
                }
                #expect(try await client.getObjectBytes(bucket: bucket, key: "private.txt") == ByteBuffer(string: "private"))
            }
        }
    }
}
