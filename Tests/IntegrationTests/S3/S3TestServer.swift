// Test support: the S3 server the integration tests use (from the environment), throwaway
// buckets, and a tiny local HTTP server standing in for S3, STS or the pod identity agent.

import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Shared
import Testing

/// The S3 server under test, from `AWS_ENDPOINT_URL_S3`, `AWS_ACCESS_KEY_ID`,
/// `AWS_SECRET_ACCESS_KEY` (and `AWS_REGION`): `eval "$(scripts/s3 env)"` after `scripts/s3 start`.
enum S3TestServer {
    static var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// Whether the integration suites can run. Unset: they are skipped, with this reason shown.
    static var isConfigured: Bool {
        ["AWS_ENDPOINT_URL_S3", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"].allSatisfy { !(environment[$0] ?? "").isEmpty }
    }

    static let skipReason: Comment = "needs a running S3 server: scripts/s3 start && eval \"$(scripts/s3 env)\" (sets AWS_ENDPOINT_URL_S3, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)"

    static var credentials: AWSCredentials {
        AWSCredentials(accessKeyID: environment["AWS_ACCESS_KEY_ID"] ?? "", secretAccessKey: environment["AWS_SECRET_ACCESS_KEY"] ?? "")
    }

    static func configuration(_ adjust: (inout S3Configuration) -> Void = { _ in }) throws -> S3Configuration {
        var configuration = try S3Configuration(environment: environment)
        configuration.retry = S3RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(20), maxDelay: .milliseconds(200))
        configuration.requestTimeout = .seconds(20)
        configuration.transferTimeout = .seconds(60)
        adjust(&configuration)
        return configuration
    }

    /// Runs `body` with a client on its own HTTP client, shut down afterwards.
    @discardableResult
    static func withClient<T: Sendable>(
        credentials: AWSCredentials? = nil,
        _ adjust: (inout S3Configuration) -> Void = { _ in },
        _ body: (S3Client) async throws -> T
    ) async throws -> T {
        let provider = AWSStaticCredentialProvider(credentials ?? self.credentials, source: "test")
        return try await S3Client.withHTTPClient(configuration: try configuration(adjust), credentialProvider: provider, body)
    }

    /// A fresh bucket for one test, emptied (objects and unfinished uploads) and deleted after,
    /// whether the test passed or not.
    @discardableResult
    static func withBucket<T: Sendable>(_ client: S3Client, _ body: (String) async throws -> T) async throws -> T {
        let bucket = "bf-test-" + randomHex(6)
        try await client.createBucket(bucket)
        do {
            let result = try await body(bucket)
            try await empty(bucket, client)
            return result
        } catch {
            try? await empty(bucket, client)
            throw error
        }
    }

    private static func empty(_ bucket: String, _ client: S3Client) async throws {
        for upload in try await client.listMultipartUploads(bucket: bucket) {
            try await client.abortMultipartUpload(bucket: bucket, key: upload.key, uploadID: upload.uploadID)
        }
        for object in try await client.listAllObjects(bucket: bucket) {
            try await client.deleteObject(bucket: bucket, key: object.key)
        }
        try await client.deleteBucket(bucket)
    }

    static func randomHex(_ bytes: Int) -> String {
        (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }

    /// `count` pseudo-random bytes (SplitMix64 from a random seed: fast, and unique per call).
    static func randomBuffer(_ count: Int) -> ByteBuffer {
        var state = UInt64.random(in: 0...UInt64.max)
        var buffer = ByteBufferAllocator().buffer(capacity: count)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { pointer in
            var offset = 0
            while offset < count {
                state &+= 0x9E37_79B9_7F4A_7C15
                var z = state
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                z ^= z >> 31
                withUnsafeBytes(of: z) { word in
                    let n = min(8, count - offset)
                    pointer.baseAddress!.advanced(by: offset).copyMemory(from: word.baseAddress!, byteCount: n)
                    offset += n
                }
            }
            return count
        }
        return buffer
    }

    /// A temporary file of `size` random bytes, and its SHA-256.
    static func randomFile(size: Int, in directory: URL) throws -> (URL, String) {
        let url = directory.appendingPathComponent("upload-\(randomHex(4)).bin")
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var hasher = SHA256()
        var written = 0
        while written < size {
            let chunk = randomBuffer(min(1 << 20, size - written))
            let data = Data(chunk.readableBytesView)
            hasher.update(data: data)
            try handle.write(contentsOf: data)
            written += chunk.readableBytes
        }
        return (url, hex(hasher.finalize()))
    }

    static func sha256(of url: URL) throws -> String {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hasher = SHA256()
        while let data = try handle.read(upToCount: 1 << 20), !data.isEmpty { hasher.update(data: data) }
        return hex(hasher.finalize())
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("s3-tests-\(randomHex(6))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

// MARK: A tiny local HTTP server

/// A request as the local server saw it.
struct LocalHTTPRequest: Sendable {
    let method: String
    let uri: String
    let headers: [(String, String)]
    let body: String

    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    /// The decoded parameters of a form body or of the query.
    var formParameters: [String: String] { Self.decodeForm(body) }
    var queryParameters: [String: String] {
        guard let question = uri.firstIndex(of: "?") else { return [:] }
        return Self.decodeForm(String(uri[uri.index(after: question)...]))
    }

    static func decodeForm(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (s: Substring) in s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s) }
            result[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return result
    }
}

/// An answer; `nil` from the handler means "never answer" (to provoke a timeout).
struct LocalHTTPResponse: Sendable {
    var status: Int = 200
    var headers: [(String, String)] = []
    var body: String = ""
}

/// An HTTP/1.1 server on 127.0.0.1 (a free port), answering with `handler` and recording every
/// request. For S3 fault injection, STS and the pod identity agent. Always `shutdown()` it.
final class LocalHTTPServer: Sendable {
    private let channel: any Channel
    private let log: LockedBox<[LocalHTTPRequest]>
    let port: Int
    var url: String { "http://127.0.0.1:\(port)" }
    var requests: [LocalHTTPRequest] { log.value }

    init(_ handler: @escaping @Sendable (LocalHTTPRequest) -> LocalHTTPResponse?) async throws {
        let log = LockedBox<[LocalHTTPRequest]>([])
        self.log = log
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(LocalHTTPHandler(log: log, handler: handler))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        port = channel.localAddress?.port ?? 0
    }

    func shutdown() async {
        try? await channel.close()
    }
}

/// Runs `body` with a local server, closed afterwards.
func withLocalHTTPServer<T: Sendable>(
    _ handler: @escaping @Sendable (LocalHTTPRequest) -> LocalHTTPResponse?,
    _ body: (LocalHTTPServer) async throws -> T
) async throws -> T {
    let server = try await LocalHTTPServer(handler)
    do {
        let result = try await body(server)
        await server.shutdown()
        return result
    } catch {
        await server.shutdown()
        throw error
    }
}

private final class LocalHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let log: LockedBox<[LocalHTTPRequest]>
    private let handler: @Sendable (LocalHTTPRequest) -> LocalHTTPResponse?
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()

    init(log: LockedBox<[LocalHTTPRequest]>, handler: @escaping @Sendable (LocalHTTPRequest) -> LocalHTTPResponse?) {
        self.log = log
        self.handler = handler
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body.clear()
        case .body(var chunk):
            body.writeBuffer(&chunk)
        case .end:
            guard let head else { return }
            let request = LocalHTTPRequest(
                method: head.method.rawValue,
                uri: head.uri,
                headers: head.headers.map { ($0.name, $0.value) },
                body: String(buffer: body)
            )
            log.withValue { $0.append(request) }
            guard let response = handler(request) else { return }
            var headers = HTTPHeaders(response.headers)
            headers.replaceOrAdd(name: "content-length", value: String(response.body.utf8.count))
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .init(statusCode: response.status), headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: response.body)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}

/// A value behind a lock, for state shared with NIO handlers and concurrent tasks.
final class LockedBox<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    init(_ value: Value) { stored = value }

    var value: Value { lock.withLock { stored } }

    @discardableResult
    func withValue<T>(_ body: (inout Value) -> T) -> T {
        lock.withLock { body(&stored) }
    }
}

/// The XML error body S3 sends.
func s3ErrorXML(_ code: String, _ message: String) -> String {
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>\(code)</Code><Message>\(message)</Message><RequestId>test-request</RequestId></Error>"
}
