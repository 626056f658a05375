// DevChainServer: binds the HTTP JSON-RPC listener and runs it until asked to stop.

import NIOCore
import NIOHTTP1
import NIOPosix

/// SwiftNIO directly (no framework) keeps the per-request overhead to a parse and a copy,
/// so devchain is never the bottleneck of a benchmark.
final class DevChainServer: Sendable {
    let configuration: DevChainConfiguration
    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel

    /// Builds the backend (loading fixtures or preparing the synthetic chain) and binds.
    init(configuration: DevChainConfiguration) throws(DevChainError) {
        self.configuration = configuration
        let dispatcher = try configuration.makeDispatcher()
        let threads = configuration.threads > 0 ? configuration.threads : System.coreCount
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        let latency = configuration.latencyMilliseconds
        let maxBytes = configuration.maxRequestBytes
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(
                        RPCHTTPHandler(dispatcher: dispatcher, latencyMilliseconds: latency, maxRequestBytes: maxBytes)
                    )
                }
            }
        do {
            channel = try bootstrap.bind(host: configuration.host, port: configuration.port).wait()
        } catch {
            try? group.syncShutdownGracefully()
            throw DevChainError.server("cannot listen on \(configuration.host):\(configuration.port): \(error)")
        }
        self.group = group
    }

    /// The port actually bound (differs from the configured one when that was 0).
    var port: Int { channel.localAddress?.port ?? configuration.port }

    /// Closes the listener; `wait()` then returns.
    func stop() {
        channel.close(promise: nil)
    }

    /// Blocks until the listener is closed, then shuts the event loops down.
    func wait() throws {
        try channel.closeFuture.wait()
        try group.syncShutdownGracefully()
    }
}
