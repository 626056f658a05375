// ReplayBackendTests: every fixture case replays its recordings, with geth's errors otherwise.

import Foundation
import Testing
@testable import DevChain

@Suite("replay backend")
struct ReplayBackendTests {
    @Test("each recorded response is served as recorded, under the request's own id")
    func servesEveryRecording() throws {
        let directories = FixtureLocator.caseDirectories()
        try #require(!directories.isEmpty, "no fixtures under \(FixtureLocator.ethereumETLRoot)")
        for dir in directories {
            let backend = try ReplayBackend.load(directory: dir)
            for name in try FileManager.default.contentsOfDirectory(atPath: dir) where name.hasPrefix("web3_response.") {
                let key = try #require(ReplayFileName.key(ofFileName: name))
                let call = try #require(ReplayFileNameTests.request(forKey: key))
                let data = try #require(FileManager.default.contents(atPath: dir + "/" + name))
                let recorded = try JSONParser.parse([UInt8](data))
                let expected = (recorded["result"] ?? recorded).serialized()
                #expect(backend.handle(method: call.method, params: call.params) == .result(expected), "\(name)")

                let dispatcher = RPCDispatcher(backend: backend, faults: FaultInjector(errorRate: 0, dropRate: 0, seed: 0),
                                               rateLimiter: nil, batchLimit: 1000, responseSizeLimit: 25_000_000)
                var request: [UInt8] = Array("{\"jsonrpc\":\"2.0\",\"id\":\"req-9\",\"method\":".utf8)
                JSONBytes.appendString(call.method, to: &request)
                request += Array(",\"params\":".utf8) + JSONValue.array(call.params).serialized() + [UInt8(ascii: "}")]
                let reply = try JSONParser.parse(dispatcher.reply(to: request).body)
                #expect(reply["id"] == .string("req-9"))
                #expect(reply["result"]?.serialized() == expected)
            }
        }
    }

    @Test("unknown method is -32601, unrecorded params of a known method -32000")
    func errors() throws {
        let backend = ReplayBackend(entries: ["eth_getBlockByNumber_0xb872_true": .result(Array("{}".utf8))])
        #expect(backend.handle(method: "eth_foo", params: []) == .error(.methodNotFound("eth_foo")))
        guard case .error(let e) = backend.handle(method: "eth_getBlockByNumber", params: [.string("0x1"), .bool(true)]) else {
            Issue.record("expected an error"); return
        }
        #expect(e.code == -32000)
        #expect(e.message.contains("0x1_true"))
        #expect(backend.handle(method: "eth_blockNumber", params: []) == .quantity(0xB872))
        #expect(backend.handle(method: "eth_chainId", params: []) == .string("0x1"))
    }

    @Test("a lagging replay reports head − lag and hides blocks above it")
    func lag() {
        let backend = ReplayBackend(entries: ["eth_getBlockByNumber_0xa_true": .result(Array("{}".utf8)),
                                              "eth_getBlockByNumber_0x5_true": .result(Array("{}".utf8))], lagBlocks: 3)
        #expect(backend.handle(method: "eth_blockNumber", params: []) == .quantity(7))
        #expect(backend.handle(method: "eth_getBlockByNumber", params: [.string("0xa"), .bool(true)]) == .null)
        #expect(backend.handle(method: "eth_getBlockByNumber", params: [.string("0x5"), .bool(true)]) == .result(Array("{}".utf8)))
    }

    @Test("a recording can be a full response, an error, or a bare result")
    func recordingShapes() throws {
        #expect(ReplayBackend.outcome(of: try JSONParser.parse("{\"jsonrpc\":\"2.0\",\"id\":4,\"result\":\"0x1\"}")) == .string("0x1"))
        #expect(ReplayBackend.outcome(of: try JSONParser.parse("{\"error\":{\"code\":-32000,\"message\":\"x\"}}")) == .error(RPCError(code: -32000, message: "x")))
        #expect(ReplayBackend.outcome(of: try JSONParser.parse("[1, 2]")) == .result(Array("[1,2]".utf8)))
    }
}
