// A TCP proxy on 127.0.0.1 between a client and PostgreSQL that a test can black-hole or cut.

import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// Forwards every connection to `upstream`. `blackHole()` keeps the connections open but drops
/// every byte both ways (a network partition where no packet is answered, not a reset);
/// `cut()` closes every connection and refuses new ones (a server restart); `resume()` forwards again.
final class TCPProxy: Sendable {
    enum Mode: Sendable { case forward, blackHole, refuse }

    private struct State {
        var mode = Mode.forward
        var connections: [ObjectIdentifier: any Channel] = [:]
    }

    private let state = Mutex(State())
    private let server = Mutex<(any Channel)?>(nil)
    let port: Int

    var mode: Mode { state.withLock { $0.mode } }
    /// Connections accepted and still open.
    var openConnections: Int { state.withLock { $0.connections.count } }

    init(upstreamHost: String, upstreamPort: Int) async throws {
        let box = ProxyBox()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { inbound in
                // The accepted connection is registered (and starts reading) once this future succeeds.
                guard let proxy = box.proxy, proxy.mode != .refuse else { return inbound.close() }
                return ClientBootstrap(group: inbound.eventLoop)
                    .channelInitializer { outbound in
                        outbound.eventLoop.makeCompletedFuture {
                            try outbound.pipeline.syncOperations.addHandler(Relay(partner: inbound, proxy: proxy))
                        }
                    }
                    .connect(host: upstreamHost, port: upstreamPort)
                    .flatMapThrowing { outbound in
                        try inbound.pipeline.syncOperations.addHandler(Relay(partner: outbound, proxy: proxy))
                        proxy.track(inbound)
                        proxy.track(outbound)
                    }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        port = channel.localAddress?.port ?? 0
        server.withLock { $0 = channel }
        box.proxy = self
    }

    func blackHole() { state.withLock { $0.mode = .blackHole } }

    func resume() { state.withLock { $0.mode = .forward } }

    /// `resume()` after `seconds`, timed on a thread of its own: a `Task.sleep` in a test can
    /// wake many seconds late while the suite's other tests keep the cooperative pool busy, and
    /// an outage meant to last 5 s would then outlast a lease.
    func resume(after seconds: Double) {
        Thread.detachNewThread { [self] in
            Thread.sleep(forTimeInterval: seconds)
            resume()
        }
    }

    /// Closes every open connection and refuses new ones until `resume()`.
    func cut() {
        let open = state.withLock { state -> [any Channel] in
            state.mode = .refuse
            defer { state.connections = [:] }
            return Array(state.connections.values)
        }
        for channel in open { channel.close(promise: nil) }
    }

    func close() async {
        cut()
        let channel = server.withLock { $0 }
        try? await channel?.close()
    }

    fileprivate func track(_ channel: any Channel) {
        state.withLock { $0.connections[ObjectIdentifier(channel)] = channel }
        channel.closeFuture.whenComplete { [weak self] _ in
            self?.state.withLock { _ = $0.connections.removeValue(forKey: ObjectIdentifier(channel)) }
        }
    }
}

/// Lets the accept handler reach the proxy that owns it, set once the server is bound.
private final class ProxyBox: @unchecked Sendable {
    private let lock = Mutex<TCPProxy?>(nil)
    var proxy: TCPProxy? {
        get { lock.withLock { $0 } }
        set { lock.withLock { $0 = newValue } }
    }
}

/// Copies bytes to the partner connection while the proxy forwards; drops them otherwise.
private final class Relay: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let partner: any Channel
    let proxy: TCPProxy

    init(partner: any Channel, proxy: TCPProxy) {
        self.partner = partner
        self.proxy = proxy
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard proxy.mode == .forward else { return }
        partner.writeAndFlush(unwrapInboundIn(data), promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        partner.close(promise: nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
