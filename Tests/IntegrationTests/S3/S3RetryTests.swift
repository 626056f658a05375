// Retries against a local server that misbehaves on cue: 503 SlowDown, 404, silence, refusal.

import Foundation
import NIOCore
import Shared
import Testing

@Suite("S3 retries", .timeLimit(.minutes(1)))
struct S3RetryTests {
    static func withFaultyS3<T: Sendable>(
        attempts: Int = 4,
        requestTimeout: Duration = .seconds(5),
        _ handler: @escaping @Sendable (Int, LocalHTTPRequest) -> LocalHTTPResponse?,
        _ body: (S3Client, LocalHTTPServer) async throws -> T
    ) async throws -> T {
        let counter = LockedBox(0)
        return try await withLocalHTTPServer({ request in
            handler(counter.withValue { $0 += 1; return $0 }, request)
        }) { server in
            var configuration = S3Configuration(endpoint: URL(string: server.url)!)
            configuration.retry = S3RetryPolicy(maxAttempts: attempts, baseDelay: .milliseconds(10), maxDelay: .milliseconds(50))
            configuration.requestTimeout = requestTimeout
            configuration.transferTimeout = requestTimeout
            let credentials = AWSStaticCredentialProvider(AWSCredentials(accessKeyID: "AKIDTEST", secretAccessKey: "retry-test-secret"))
            return try await S3Client.withHTTPClient(configuration: configuration, credentialProvider: credentials) { client in
                try await body(client, server)
            }
        }
    }

    @Test("503 SlowDown twice, then 200: the PUT succeeds on the third attempt, the same bytes signed each time")
    func slowDownThenSuccess() async throws {
        try await Self.withFaultyS3({ n, _ in
            n <= 2
                ? LocalHTTPResponse(status: 503, body: s3ErrorXML("SlowDown", "Please reduce your request rate."))
                : LocalHTTPResponse(headers: [("etag", "\"abc123\"")])
        }) { client, server in
            let result = try await client.putObject(bucket: "bucket", key: "dir/a b.txt", body: ByteBuffer(string: "hello"))
            #expect(result.etag == "abc123" && result.size == 5)
            let requests = server.requests
            #expect(requests.count == 3)
            #expect(requests.allSatisfy { $0.method == "PUT" && $0.uri == "/bucket/dir/a%20b.txt" && $0.body == "hello" })
            // The real payload hash is signed, never UNSIGNED-PAYLOAD.
            #expect(requests.allSatisfy { $0.header("x-amz-content-sha256") == "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824" })
            #expect(requests.allSatisfy { $0.header("authorization")?.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDTEST/") == true })
        }
    }

    @Test("404 NoSuchKey is an answer: one attempt, S3's code and message in the error")
    func notFoundIsNotRetried() async throws {
        try await Self.withFaultyS3({ _, _ in
            LocalHTTPResponse(status: 404, body: s3ErrorXML("NoSuchKey", "The specified key does not exist."))
        }) { client, server in
            await #expect {
                _ = try await client.getObjectBytes(bucket: "bucket", key: "missing")
            } throws: { error in
                guard let error = error as? S3Error else { return false }
                return error.statusCode == 404 && error.s3Code == "NoSuchKey" && error.message == "The specified key does not exist."
                    && error.operation == "GetObject" && error.bucket == "bucket" && error.key == "missing" && !error.isRetryable
            }
            #expect(server.requests.count == 1)
            let head = try await client.headObject(bucket: "bucket", key: "missing")
            #expect(head == nil)
            #expect(server.requests.count == 2)
        }
    }

    @Test("500 every time: all attempts used, then the last error, retryable, without the secret")
    func exhausted() async throws {
        try await Self.withFaultyS3(attempts: 3, { _, _ in
            LocalHTTPResponse(status: 500, body: s3ErrorXML("InternalError", "We encountered an internal error."))
        }) { client, server in
            await #expect {
                try await client.deleteObject(bucket: "bucket", key: "k")
            } throws: { error in
                guard let error = error as? S3Error else { return false }
                return error.s3Code == "InternalError" && error.isRetryable && !"\(error)".contains("retry-test-secret")
            }
            #expect(server.requests.count == 3)
        }
    }

    @Test("a request that gets no answer times out and is retried")
    func timeoutIsRetried() async throws {
        try await Self.withFaultyS3(requestTimeout: .milliseconds(300), { n, _ in
            n == 1 ? nil : LocalHTTPResponse(headers: [("content-length", "0")])
        }) { client, server in
            try await client.deleteObject(bucket: "bucket", key: "k")
            #expect(server.requests.count == 2)
        }
    }

    @Test("a refused connection is a retryable transport error")
    func connectionRefused() async throws {
        var configuration = S3Configuration(endpoint: URL(string: "http://127.0.0.1:9")!)
        configuration.retry = S3RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(10))
        let credentials = AWSStaticCredentialProvider(AWSCredentials(accessKeyID: "AKIDTEST", secretAccessKey: "retry-test-secret"))
        try await S3Client.withHTTPClient(configuration: configuration, credentialProvider: credentials) { client in
            await #expect {
                _ = try await client.headObject(bucket: "bucket", key: "k")
            } throws: { error in
                guard let error = error as? S3Error else { return false }
                return error.code == .transport && error.isRetryable
            }
        }
    }

    @Test("CompleteMultipartUpload's 200 with an <Error> body is an error, and retried when it is S3's own")
    func completeWithErrorBody() async throws {
        try await Self.withFaultyS3({ n, _ in
            n == 1
                ? LocalHTTPResponse(body: s3ErrorXML("InternalError", "We encountered an internal error."))
                : LocalHTTPResponse(body: "<CompleteMultipartUploadResult><ETag>\"3858f62230ac3c915f300c664312c11f-2\"</ETag></CompleteMultipartUploadResult>")
        }) { client, server in
            let etag = try await client.completeMultipartUpload(bucket: "bucket", key: "k", uploadID: "u1", parts: [
                S3CompletedPart(partNumber: 1, etag: "a", size: 5 << 20), S3CompletedPart(partNumber: 2, etag: "b", size: 1),
            ])
            #expect(etag == "3858f62230ac3c915f300c664312c11f-2")
            #expect(server.requests.count == 2)
            #expect(server.requests[0].body.contains("<Part><ETag>&quot;a&quot;</ETag><PartNumber>1</PartNumber></Part>"))
        }
    }
}
