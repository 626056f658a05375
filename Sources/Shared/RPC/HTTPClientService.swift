// The process's HTTP client as a Service, shut down after the services that use it.

import AsyncHTTPClient
import ServiceLifecycle

/// Owns an `HTTPClient`: it lives until graceful shutdown reaches it (services stop in reverse
/// order, so list it before the services that use it), then shuts down.
public final class HTTPClientService: Service, Sendable {
    public let client: HTTPClient

    public init(client: HTTPClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: HTTPClientService.defaultConfiguration)) {
        self.client = client
    }

    /// Keep-alive connections, enough per host for a worker's concurrent batches.
    public static var defaultConfiguration: HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)
        // A replica that refuses connections should fail its call at once, so the pool moves the
        // call to another replica, instead of the client retrying until the call's deadline.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(5)
        configuration.decompression = .enabled(limit: .none)
        return configuration
    }

    public func run() async throws {
        try? await gracefulShutdown()
        try await client.shutdown()
    }
}

extension HTTPClientService {
    /// Runs `body`; when it throws, shuts `clients` down before rethrowing. AsyncHTTPClient traps
    /// on a client dropped without shutdown, so an error between creating clients and handing them
    /// to a service group must not skip it.
    public static func shuttingDown<Result>(_ clients: [HTTPClient], ifThrows body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch {
            for client in clients { try? await client.shutdown() }
            throw error
        }
    }

    /// Runs `body` with a client of its own, shut down afterwards whether `body` threw or not.
    public static func withClient<Result>(
        configuration: HTTPClient.Configuration = HTTPClientService.defaultConfiguration, _ body: (HTTPClient) async throws -> Result
    ) async throws -> Result {
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let result = try await shuttingDown([client]) { try await body(client) }
        try await client.shutdown()
        return result
    }
}
