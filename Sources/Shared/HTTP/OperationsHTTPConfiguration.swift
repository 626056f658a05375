// Where a process serves /metrics, /healthz, /readyz (and the coordinator's status page).

/// Settings of the operations HTTP listener. Environment variables set them; `--http-port` is an overlay on `BLOCKFLEET_HTTP_PORT`.
public struct OperationsHTTPConfiguration: Sendable, Equatable {
    /// Interface to bind. Default `127.0.0.1` (`BLOCKFLEET_HTTP_HOST`); `0.0.0.0` in a pod so the
    /// kubelet and Prometheus can reach it.
    public var host: String
    /// TCP port; 0 disables the listener. Default 8080 for the coordinator, 9090 for the worker
    /// (`BLOCKFLEET_HTTP_PORT`).
    public var port: Int

    public static let coordinatorPort = 8080
    public static let workerPort = 9090

    public init(host: String = "127.0.0.1", port: Int) {
        self.host = host
        self.port = port
    }

    public init(environment: Environment, defaultPort: Int) throws(ConfigurationError) {
        self.init(host: environment.string("BLOCKFLEET_HTTP_HOST") ?? "127.0.0.1", port: defaultPort)
        if let port = try environment.int("BLOCKFLEET_HTTP_PORT", range: 0...65_535) { self.port = port }
    }

    public var isEnabled: Bool { port != 0 }
}
