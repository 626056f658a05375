// The S3 client: addressing, signing, sending, and retrying; the operations live in extensions.

import AsyncHTTPClient
import Foundation
import Logging
import NIOCore

/// An S3 client on a caller's `HTTPClient` (shared with the rest of the process, which shuts it
/// down), or on its own through `withHTTPClient`. Every request is signed with SigV4 over the
/// real payload hash, and retried with jittered backoff on 5xx, throttling, connection errors and
/// timeouts — never on other 4xx. Errors are `S3Error`, free of credentials.
public struct S3Client: Sendable {
    public let configuration: S3Configuration
    public let httpClient: HTTPClient
    public let credentialProvider: any AWSCredentialProvider
    let logger: Logger
    let signer: AWSSigV4Signer

    public init(
        configuration: S3Configuration = S3Configuration(),
        credentialProvider: any AWSCredentialProvider,
        httpClient: HTTPClient,
        logger: Logger = Logger(label: "blockfleet.s3")
    ) throws(ConfigurationError) {
        try configuration.validate()
        self.configuration = configuration
        self.credentialProvider = credentialProvider
        self.httpClient = httpClient
        self.logger = logger
        self.signer = AWSSigV4Signer(region: configuration.region, service: "s3")
    }

    /// Settings for an `HTTPClient` dedicated to S3: a refused connection fails at once (our retry
    /// loop backs off, instead of the pool retrying until the connect timeout), a silent
    /// connection ends after a minute, no redirects (S3 redirects mean a wrong region: better an
    /// error), no decompression (objects are stored as given).
    public static var recommendedHTTPClientConfiguration: HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.timeout.connect = .seconds(10)
        configuration.timeout.read = .seconds(60)
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 32)
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .disabled
        return configuration
    }

    /// Runs `body` with a client on its own `HTTPClient`, shut down afterwards.
    @discardableResult
    public static func withHTTPClient<Result: Sendable>(
        configuration: S3Configuration,
        credentialProvider: any AWSCredentialProvider,
        logger: Logger = Logger(label: "blockfleet.s3"),
        _ body: (S3Client) async throws -> Result
    ) async throws -> Result {
        try await HTTPClientService.withClient(configuration: recommendedHTTPClientConfiguration) { httpClient in
            try await body(try S3Client(configuration: configuration, credentialProvider: credentialProvider, httpClient: httpClient, logger: logger))
        }
    }
}

// MARK: Requests

/// One S3 call, before addressing and signing.
struct S3Request: Sendable {
    enum Body: Sendable {
        case empty
        case buffer(ByteBuffer)
        /// A region of an open file, streamed; `payloadHash` must already be its SHA-256.
        case file(S3ReadableFile, offset: Int64, length: Int64)
    }

    enum Method: String, Sendable {
        case GET, PUT, POST, DELETE, HEAD
    }

    var operation: String
    var method: Method
    var bucket: String?
    var key: String?
    var query: [(String, String)] = []
    var headers: [(String, String)] = []
    var body: Body = .empty
    var payloadHash: String = AWSSigV4Signer.emptyPayloadHash
    var timeout: Duration
    /// Hand a 404 to the caller (HEAD of a missing object is an answer, not an error).
    var acceptNotFound = false

    /// A buffer body with its hash computed.
    mutating func setBody(_ buffer: ByteBuffer) {
        body = .buffer(buffer)
        payloadHash = buffer.withUnsafeReadableBytes { AWSSigV4Signer.hexSHA256($0) }
    }
}

extension S3Client {
    /// Scheme, `Host` header value and decoded path for a bucket and key, per addressing style.
    func address(bucket: String?, key: String?) -> (scheme: String, host: String, path: String) {
        let endpoint = configuration.resolvedEndpoint
        let scheme = endpoint.scheme?.lowercased() ?? "https"
        var host = endpoint.host ?? ""
        if host.contains(":"), !host.hasPrefix("[") { host = "[\(host)]" }
        if let port = endpoint.port, !(scheme == "http" && port == 80), !(scheme == "https" && port == 443) {
            host += ":\(port)"
        }
        var base = endpoint.path
        while base.hasSuffix("/") { base.removeLast() }

        guard let bucket else { return (scheme, host, base + "/") }
        let virtual = configuration.addressingStyle == .virtualHosted && S3Location.isVirtualHostable(bucket)
        if virtual {
            return (scheme, "\(bucket).\(host)", base + "/" + (key ?? ""))
        }
        return (scheme, host, base + "/" + bucket + (key.map { "/" + $0 } ?? ""))
    }

    /// The URL a request goes to: the path and query exactly as signed.
    public func url(bucket: String?, key: String?, query: [(String, String)] = []) -> String {
        let (scheme, host, path) = address(bucket: bucket, key: key)
        let queryText = AWSSigV4Signer.canonicalQuery(query)
        return "\(scheme)://\(host)\(AWSSigV4Signer.canonicalURI(path))" + (queryText.isEmpty ? "" : "?" + queryText)
    }

    /// Sends the request (retrying as the policy says) and hands a successful response to
    /// `handle`; errors inside `handle` (a body cut off mid-way) are retried like the others.
    func perform<T: Sendable>(_ request: S3Request, _ handle: (HTTPClientResponse) async throws -> T) async throws -> T {
        let policy = configuration.retry
        var attempt = 0
        while true {
            attempt += 1
            do {
                try Task.checkCancellation()
                let response = try await send(request)
                let status = Int(response.status.code)
                guard (200..<300).contains(status) || (status == 404 && request.acceptNotFound) else {
                    throw await error(from: response, request: request)
                }
                do {
                    let result = try await handle(response)
                    logger.debug("s3 request done", metadata: metadata(request, attempt: attempt, status: status))
                    return result
                } catch {
                    throw classify(error, request)
                }
            } catch let error as S3Error where error.isRetryable && attempt < policy.maxAttempts {
                let delay = policy.delay(afterAttempt: attempt)
                var details = metadata(request, attempt: attempt, status: error.statusCode)
                details["error"] = "\(error)"
                details["retry_in_ms"] = "\(Int(delay.s3Seconds * 1000))"
                logger.notice("s3 request failed, retrying", metadata: details)
                try await Task.sleep(for: delay)
            }
        }
    }

    /// One signed attempt.
    private func send(_ request: S3Request) async throws -> HTTPClientResponse {
        let credentials: AWSCredentials
        do {
            credentials = try await credentialProvider.credentials()
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw S3Error(.credentials, operation: request.operation, bucket: request.bucket, key: request.key, "\(error)")
        }
        let (scheme, host, path) = address(bucket: request.bucket, key: request.key)
        let headers = [("host", host)] + request.headers
        let signature = signer.sign(
            method: request.method.rawValue,
            path: path,
            query: request.query,
            headers: headers,
            payloadHash: request.payloadHash,
            date: Date(),
            credentials: credentials
        )
        let queryText = AWSSigV4Signer.canonicalQuery(request.query)
        var http = HTTPClientRequest(url: "\(scheme)://\(host)\(AWSSigV4Signer.canonicalURI(path))" + (queryText.isEmpty ? "" : "?" + queryText))
        switch request.method {
        case .GET: http.method = .GET
        case .PUT: http.method = .PUT
        case .POST: http.method = .POST
        case .DELETE: http.method = .DELETE
        case .HEAD: http.method = .HEAD
        }
        for (name, value) in headers { http.headers.add(name: name, value: value) }
        for (name, value) in signature.addedHeaders { http.headers.add(name: name, value: value) }
        http.headers.add(name: "user-agent", value: "blockfleet-s3/1.0")
        switch request.body {
        case .empty:
            if request.method == .PUT || request.method == .POST { http.body = .bytes(ByteBuffer()) }
        case .buffer(let buffer):
            http.body = .bytes(buffer)
        case .file(let file, let offset, let length):
            http.body = .stream(file.chunks(offset: offset, length: length), length: .known(length))
        }
        do {
            return try await httpClient.execute(http, timeout: .nanoseconds(Int64(request.timeout.s3Seconds * 1e9)))
        } catch {
            throw classify(error, request)
        }
    }

    /// Reads and drops a small answer body, so the connection goes back to the pool instead of
    /// being closed for an unread body.
    static func drain(_ response: HTTPClientResponse) async throws {
        _ = try await response.body.collect(upTo: 1 << 20)
    }

    /// An `S3Error` from an error response: S3's `<Code>`/`<Message>` when the body has them.
    func error(from response: HTTPClientResponse, request: S3Request) async -> S3Error {
        let status = Int(response.status.code)
        let requestID = response.headers.first(name: "x-amz-request-id")
        let body = try? await response.body.collect(upTo: 256 * 1024)
        if let body, body.readableBytes > 0, let xml = try? S3XMLParser.parse(body) {
            let element = xml.name == "Error" ? xml : (xml.child("Error") ?? xml)
            return S3Error(
                .httpStatus, operation: request.operation, bucket: request.bucket, key: request.key, statusCode: status,
                s3Code: element.value("Code"), requestID: requestID ?? element.value("RequestId"),
                element.value("Message") ?? "HTTP \(status)"
            )
        }
        return S3Error(
            .httpStatus, operation: request.operation, bucket: request.bucket, key: request.key, statusCode: status,
            requestID: requestID, "HTTP \(status) \(response.status.reasonPhrase)"
        )
    }

    /// Maps transport, timeout, cancellation and file errors onto `S3Error` (or `CancellationError`).
    func classify(_ error: any Error, _ request: S3Request) -> any Error {
        if error is S3Error || error is CancellationError { return error }
        if Task.isCancelled { return CancellationError() }
        func make(_ code: S3Error.Code, _ message: String) -> S3Error {
            S3Error(code, operation: request.operation, bucket: request.bucket, key: request.key, message)
        }
        if let error = error as? S3LocalFileError { return make(.file, error.message) }
        if let error = error as? S3XMLError { return make(.malformedResponse, error.description) }
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout, .tlsHandshakeTimeout,
                 .socksHandshakeTimeout, .httpProxyHandshakeTimeout, .getConnectionFromPoolTimeout:
                return make(.timeout, "\(error)")
            case .invalidURL, .emptyHost, .emptyScheme, .alreadyShutdown:
                return make(.invalidRequest, "\(error)")
            case .bodyLengthMismatch:
                return make(.file, "the body changed length while being sent")
            default:
                return make(.transport, "\(error)")
            }
        }
        // NIO's IOError, ChannelError, NIOConnectionError: the connection failed.
        return make(.transport, "\(type(of: error)): \(error)")
    }

    private func metadata(_ request: S3Request, attempt: Int, status: Int?) -> Logger.Metadata {
        var metadata: Logger.Metadata = ["operation": "\(request.operation)", "attempt": "\(attempt)"]
        if let bucket = request.bucket { metadata["bucket"] = "\(bucket)" }
        if let key = request.key { metadata["key"] = "\(key)" }
        if let status { metadata["status"] = "\(status)" }
        return metadata
    }
}
