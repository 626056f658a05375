// The small HTTP surface of both executables: /metrics, /healthz, /readyz, and the status page.

import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// What the routes ask the process.
public struct OperationsEndpoints: Sendable {
    /// Nil when ready; otherwise why not (sent as the 503 body).
    public var readiness: @Sendable () async -> String?
    /// Brings gauges read from the database up to date before `/metrics` is rendered.
    public var refreshMetrics: @Sendable () async -> Void
    /// The HTML of `/`; nil serves a plain index of the routes.
    public var statusPage: (@Sendable () async throws -> String)?
    /// Nil while the process's loops go round; otherwise why not (sent as `/healthz`'s 503 body,
    /// so the orchestrator restarts a wedged process).
    public var liveness: @Sendable () -> String?

    public init(
        readiness: @escaping @Sendable () async -> String?,
        refreshMetrics: @escaping @Sendable () async -> Void = {},
        statusPage: (@Sendable () async throws -> String)? = nil,
        liveness: @escaping @Sendable () -> String? = { nil }
    ) {
        self.liveness = liveness
        self.readiness = readiness
        self.refreshMetrics = refreshMetrics
        self.statusPage = statusPage
    }
}

/// The listener as a `Service`: it stops with the process's service group.
public struct OperationsServer: Service {
    public let configuration: OperationsHTTPConfiguration
    let endpoints: OperationsEndpoints
    let logger: Logger
    let onListening: @Sendable (Int) async -> Void

    public init(
        configuration: OperationsHTTPConfiguration, endpoints: OperationsEndpoints, logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.endpoints = endpoints
        self.logger = logger
        self.onListening = onListening
    }

    public func run() async throws {
        FleetMetrics.bootstrap()
        let router = Router()
        let endpoints = self.endpoints
        router.get("/healthz") { _, _ in
            if let reason = endpoints.liveness() {
                return Self.text("not live: \(reason)\n", status: .serviceUnavailable)
            }
            return Self.text("ok\n")
        }
        router.get("/readyz") { _, _ in
            if let reason = await endpoints.readiness() {
                return Self.text("not ready: \(reason)\n", status: .serviceUnavailable)
            }
            return Self.text("ready\n")
        }
        router.get("/metrics") { _, _ in
            await endpoints.refreshMetrics()
            return Self.text(FleetMetrics.exposition(), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
        router.get("/") { _, _ in
            guard let page = endpoints.statusPage else {
                return Self.text("BlockFleet: /metrics /healthz /readyz\n")
            }
            do {
                return Self.text(try await page(), contentType: "text/html; charset=utf-8")
            } catch {
                return Self.text("status unavailable: \(error)\n", status: .serviceUnavailable)
            }
        }
        var quiet = logger
        quiet.logLevel = max(logger.logLevel, .warning)
        let (host, onListening, logger) = (configuration.host, self.onListening, self.logger)
        let application = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                logger.info("http listening", metadata: ["address": "\(host):\(port)", "routes": "/metrics /healthz /readyz /"])
                await onListening(port)
            },
            logger: quiet
        )
        try await application.run()
    }

    static func text(_ body: String, status: HTTPResponse.Status = .ok, contentType: String = "text/plain; charset=utf-8") -> Response {
        Response(status: status, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
