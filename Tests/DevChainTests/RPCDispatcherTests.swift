// RPCDispatcherTests: JSON-RPC framing, ids, batches and geth's batch limits.

import Testing
@testable import DevChain

@Suite("dispatcher")
struct RPCDispatcherTests {
    /// Answers every call with its method name, so tests see which call produced which answer.
    struct EchoBackend: RPCBackend {
        func handle(method: String, params: [JSONValue]) -> RPCOutcome {
            method == "big" ? .result(Array(("\"" + String(repeating: "x", count: 100) + "\"").utf8)) : .string(method)
        }
    }

    static func dispatcher(batchLimit: Int = 1000, responseSizeLimit: Int = 25_000_000, errorRate: Double = 0,
                           dropRate: Double = 0, rateLimiter: RateLimiter? = nil) -> RPCDispatcher {
        RPCDispatcher(backend: EchoBackend(), faults: FaultInjector(errorRate: errorRate, dropRate: dropRate, seed: 5),
                      rateLimiter: rateLimiter, batchLimit: batchLimit, responseSizeLimit: responseSizeLimit)
    }

    func text(_ reply: HTTPReply) -> String { String(decoding: reply.body, as: UTF8.self) }

    @Test("a single call is answered with its own id, string or number")
    func ids() {
        let d = Self.dispatcher()
        #expect(text(d.reply(to: Array(#"{"jsonrpc":"2.0","id":"abc","method":"m1","params":[]}"#.utf8))) == #"{"jsonrpc":"2.0","id":"abc","result":"m1"}"#)
        #expect(text(d.reply(to: Array(#"{"jsonrpc":"2.0","id":17,"method":"m2"}"#.utf8))) == #"{"jsonrpc":"2.0","id":17,"result":"m2"}"#)
    }

    @Test("a batch is answered in order, notifications skipped")
    func batch() {
        let d = Self.dispatcher()
        let body = #"[{"jsonrpc":"2.0","id":1,"method":"a"},{"jsonrpc":"2.0","method":"note"},{"jsonrpc":"2.0","id":"x","method":"b"}]"#
        #expect(text(d.reply(to: Array(body.utf8))) == #"[{"jsonrpc":"2.0","id":1,"result":"a"},{"jsonrpc":"2.0","id":"x","result":"b"}]"#)
        #expect(d.reply(to: Array(#"[{"jsonrpc":"2.0","method":"note"}]"#.utf8)) == .json([]))
    }

    @Test("malformed bodies get parse error, empty batch, invalid request")
    func malformed() {
        let d = Self.dispatcher()
        #expect(text(d.reply(to: Array("{".utf8))) == #"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"parse error"}}"#)
        #expect(text(d.reply(to: Array("[]".utf8))) == #"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"empty batch"}}"#)
        #expect(text(d.reply(to: Array(#"{"id":3}"#.utf8))) == #"{"jsonrpc":"2.0","id":3,"error":{"code":-32600,"message":"invalid request"}}"#)
    }

    @Test("a batch over the limit gets one -32600 'batch too large' with the first call's id")
    func batchLimit() {
        let d = Self.dispatcher(batchLimit: 2)
        let ok = #"[{"id":1,"method":"a"},{"id":2,"method":"b"}]"#
        #expect(text(d.reply(to: Array(ok.utf8))).contains(#""id":2,"result":"b""#))
        let big = #"[{"id":"first","method":"a"},{"id":2,"method":"b"},{"id":3,"method":"c"}]"#
        #expect(text(d.reply(to: Array(big.utf8))) == #"[{"jsonrpc":"2.0","id":"first","error":{"code":-32600,"message":"batch too large"}}]"#)
    }

    @Test("calls after the response budget is spent get -32003 'response too large'")
    func responseSizeLimit() {
        let d = Self.dispatcher(responseSizeLimit: 250)
        let body = #"[{"id":1,"method":"big"},{"id":2,"method":"big"},{"id":3,"method":"big"},{"id":4,"method":"a"}]"#
        let out = text(d.reply(to: Array(body.utf8)))
        #expect(out.contains(#"{"jsonrpc":"2.0","id":2,"result":"#))
        #expect(out.contains(#"{"jsonrpc":"2.0","id":3,"error":{"code":-32003,"message":"response too large"}}"#))
        #expect(out.contains(#"{"jsonrpc":"2.0","id":4,"error":{"code":-32003,"message":"response too large"}}"#))
    }

    @Test("the rate limiter refuses the excess with 429 and Retry-After")
    func rateLimit() {
        let now = NanoClock()
        let limiter = RateLimiter(ratePerSecond: 2, clock: { now.value })
        let d = Self.dispatcher(rateLimiter: limiter)
        let call = Array(#"{"id":1,"method":"a"}"#.utf8)
        #expect(d.reply(to: call).status == 200)
        #expect(d.reply(to: call).status == 200)
        #expect(d.reply(to: call) == .respond(status: 429, body: Array("too many requests\n".utf8), retryAfter: 1))
        now.value += 500_000_000
        #expect(d.reply(to: call).status == 200)
        #expect(d.reply(to: call).status == 429)
    }

    @Test("injected faults reach the HTTP reply")
    func faults() {
        let d = Self.dispatcher(errorRate: 1)
        let call = Array(#"{"id":1,"method":"a"}"#.utf8)
        var statuses = Set<String>()
        for _ in 0..<60 {
            let reply = d.reply(to: call)
            switch reply {
            case .respond(500, _, nil): statuses.insert("500")
            case .respond(429, _, 1): statuses.insert("429")
            case .respond(200, let body, nil):
                #expect(String(decoding: body, as: UTF8.self) == #"{"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"header not found"}}"#)
                statuses.insert("-32000")
            default: Issue.record("unexpected \(reply)")
            }
        }
        #expect(statuses == ["500", "429", "-32000"])
        #expect(Self.dispatcher(dropRate: 1).reply(to: call) == .drop)
    }
}
