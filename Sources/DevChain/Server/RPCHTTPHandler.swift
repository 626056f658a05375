// RPCHTTPHandler: the NIO channel handler that feeds request bodies to the dispatcher.

import NIOCore
import NIOHTTP1

/// One instance per connection, confined to its event loop. HTTP/1.1 keep-alive and
/// pipelining ordering come from NIO's server pipeline; this handler only buffers a body,
/// asks the dispatcher, and writes (or withholds) the reply.
final class RPCHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let dispatcher: RPCDispatcher
    private let latency: TimeAmount?
    private let maxRequestBytes: Int
    private var head: HTTPRequestHead?
    private var body: ByteBuffer?
    private var bodyTooLarge = false

    init(dispatcher: RPCDispatcher, latencyMilliseconds: Int, maxRequestBytes: Int) {
        self.dispatcher = dispatcher
        latency = latencyMilliseconds > 0 ? .milliseconds(Int64(latencyMilliseconds)) : nil
        self.maxRequestBytes = maxRequestBytes
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead):
            head = requestHead
            body = nil
            bodyTooLarge = false
            // curl sends large bodies with `Expect: 100-continue` and otherwise waits a second.
            if requestHead.headers[canonicalForm: "expect"].contains(where: { $0.lowercased() == "100-continue" }) {
                let informational = HTTPResponseHead(version: requestHead.version, status: .continue)
                context.writeAndFlush(wrapOutboundOut(.head(informational)), promise: nil)
            }
        case .body(var chunk):
            guard !bodyTooLarge else { return }
            if (body?.readableBytes ?? 0) + chunk.readableBytes > maxRequestBytes {
                bodyTooLarge = true
                body = nil
                return
            }
            if body == nil {
                body = chunk
            } else {
                body?.writeBuffer(&chunk)
            }
        case .end:
            guard let requestHead = head else { return }
            head = nil
            let reply: HTTPReply
            if bodyTooLarge {
                reply = .respond(status: 413, body: Array("content length too large\n".utf8), retryAfter: nil)
            } else if requestHead.method != .POST {
                // geth answers body-less GETs (health checks) with 200 and an empty body.
                reply = .respond(status: requestHead.method == .GET ? 200 : 405, body: [], retryAfter: nil)
            } else {
                let bytes = body.map { Array($0.readableBytesView) } ?? []
                reply = dispatcher.reply(to: bytes)
            }
            body = nil
            if let latency {
                let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
                context.eventLoop.assumeIsolated().scheduleTask(in: latency) {
                    loopBound.value.0.send(reply, head: requestHead, context: loopBound.value.1)
                }
            } else {
                send(reply, head: requestHead, context: context)
            }
        }
    }

    private func send(_ reply: HTTPReply, head requestHead: HTTPRequestHead, context: ChannelHandlerContext) {
        switch reply {
        case .drop:
            context.close(promise: nil)
        case .respond(let status, let bytes, let retryAfter):
            let keepAlive = requestHead.isKeepAlive
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: status == 200 ? "application/json" : "text/plain; charset=utf-8")
            headers.add(name: "Content-Length", value: String(bytes.count))
            if let retryAfter { headers.add(name: "Retry-After", value: String(retryAfter)) }
            if !keepAlive { headers.add(name: "Connection", value: "close") }
            let responseHead = HTTPResponseHead(version: requestHead.version, status: HTTPResponseStatus(statusCode: status), headers: headers)
            context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
            var buffer = context.channel.allocator.buffer(capacity: bytes.count)
            buffer.writeBytes(bytes)
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
            let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
            if !keepAlive {
                let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
                done.assumeIsolated().whenComplete { _ in loopBound.value.close(promise: nil) }
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
