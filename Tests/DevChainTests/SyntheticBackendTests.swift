// SyntheticBackendTests: method semantics of the synthetic node (tags, lag, logs, lookups).

import Testing
@testable import DevChain

@Suite("synthetic backend")
struct SyntheticBackendTests {
    static func backend(blocks: UInt64 = 100, lag: UInt64 = 0) -> SyntheticBackend {
        SyntheticBackend(chain: SyntheticChain(parameters: SyntheticChainParameters(seed: 9, blockCount: blocks, transactionsPerBlock: 20), lagBlocks: lag))
    }

    func number(_ outcome: RPCOutcome) throws -> UInt64? {
        guard case .result(let bytes) = outcome else { return nil }
        return try JSONParser.parse(Array(bytes))["number"]?.stringValue.flatMap(Hex.parseQuantity)
    }

    @Test("latest, pending, safe, finalized and earliest resolve against the head")
    func tags() throws {
        #expect(BlockTag("latest")?.resolve(head: 100) == 100)
        #expect(BlockTag("pending")?.resolve(head: 100) == 100)
        #expect(BlockTag("safe")?.resolve(head: 100) == 68)
        #expect(BlockTag("finalized")?.resolve(head: 100) == 36)
        #expect(BlockTag("finalized")?.resolve(head: 10) == 0)
        #expect(BlockTag("earliest")?.resolve(head: 100) == 0)
        #expect(BlockTag("0x1f")?.resolve(head: 100) == 31)
        #expect(BlockTag("bogus") == nil)
        let b = Self.backend()
        #expect(try number(b.handle(method: "eth_getBlockByNumber", params: [.string("finalized"), .bool(false)])) == 36)
        #expect(try number(b.handle(method: "eth_getBlockByNumber", params: [.string("safe"), .bool(true)])) == 68)
    }

    @Test("blocks beyond the head are null; a lagging replica hides its last blocks")
    func beyondHead() throws {
        let b = Self.backend(lag: 10)
        #expect(b.handle(method: "eth_blockNumber", params: []) == .quantity(90))
        #expect(b.handle(method: "eth_getBlockByNumber", params: [.string("0x5b"), .bool(true)]) == .null)
        #expect(b.handle(method: "eth_getBlockReceipts", params: [.string("0x5b")]) == .null)
        #expect(try number(b.handle(method: "eth_getBlockByNumber", params: [.string("0x5a"), .bool(true)])) == 90)
        #expect(try number(b.handle(method: "eth_getBlockByNumber", params: [.string("latest"), .bool(true)])) == 90)
    }

    @Test("argument errors use geth's codes")
    func argumentErrors() {
        let b = Self.backend()
        #expect(b.handle(method: "eth_getBlockByNumber", params: [.string("0x1")]) == .error(.invalidParams("missing value for required argument 1")))
        guard case .error(let e) = b.handle(method: "eth_getTransactionReceipt", params: [.string("0x12")]) else {
            Issue.record("expected an error"); return
        }
        #expect(e.code == -32602)
        #expect(b.handle(method: "eth_nope", params: []) == .error(.methodNotFound("eth_nope")))
    }

    @Test("eth_getLogs filters by address and topics with wildcards and OR-lists")
    func logs() throws {
        let b = Self.backend()
        let all = try #require(try JSONParser.parse(Array(resultBytes(b.handle(method: "eth_getLogs", params: [
            .object([.init(key: "fromBlock", value: .string("0x1")), .init(key: "toBlock", value: .string("0x5"))])])))).arrayValue)
        #expect(!all.isEmpty)
        let first = all[0]
        let address = try #require(first["address"])
        let topic1 = try #require(first["topics"]?.arrayValue?[1])
        let filtered = try #require(try JSONParser.parse(Array(resultBytes(b.handle(method: "eth_getLogs", params: [.object([
            .init(key: "fromBlock", value: .string("0x1")), .init(key: "toBlock", value: .string("0x5")),
            .init(key: "address", value: .array([address, .string("0x" + String(repeating: "1", count: 40))])),
            .init(key: "topics", value: .array([.null, .array([topic1, .string("0x" + String(repeating: "2", count: 64))])])),
        ])])))).arrayValue)
        #expect(!filtered.isEmpty)
        #expect(filtered.count < all.count)
        #expect(filtered.allSatisfy { $0["address"] == address && $0["topics"]?.arrayValue?[1] == topic1 })
        guard case .error(let e) = b.handle(method: "eth_getLogs", params: [.object([.init(key: "fromBlock", value: .string("0x0")),
                                                                                   .init(key: "toBlock", value: .string("0x5"))])]) else {
            #expect(Bool(true)); return
        }
        Issue.record("unexpected error \(e)")
    }

    @Test("eth_getLogs refuses ranges wider than the cap")
    func logsRangeCap() {
        let b = SyntheticBackend(chain: SyntheticChain(parameters: SyntheticChainParameters(seed: 1, blockCount: 50, transactionsPerBlock: 1)), maxLogsBlockRange: 10)
        guard case .error(let e) = b.handle(method: "eth_getLogs", params: [.object([.init(key: "fromBlock", value: .string("0x1")),
                                                                                   .init(key: "toBlock", value: .string("0x20"))])]) else {
            Issue.record("expected an error"); return
        }
        #expect(e.code == -32005)
    }

    @Test("receipts, transactions and blocks are found by hash")
    func byHash() throws {
        let b = Self.backend()
        let p = b.chain.parameters
        let tx = try JSONParser.parse(Array(resultBytes(b.handle(method: "eth_getTransactionByHash", params: [.string(Hex.string(p.transactionHash(7, 3)))]))))
        #expect(tx["blockNumber"]?.stringValue == "0x7")
        #expect(tx["transactionIndex"]?.stringValue == "0x3")
        let receipt = try JSONParser.parse(Array(resultBytes(b.handle(method: "eth_getTransactionReceipt", params: [.string(Hex.string(p.transactionHash(7, 3)))]))))
        #expect(receipt["transactionHash"] == tx["hash"])
        #expect(try number(b.handle(method: "eth_getBlockByHash", params: [.string(Hex.string(p.blockHash(42))), .bool(false)])) == 42)
        #expect(b.handle(method: "eth_getTransactionReceipt", params: [.string("0x" + String(repeating: "ab", count: 32))]) == .null)
    }

    @Test("eth_call answers ERC20 metadata on the token pool")
    func call() throws {
        let b = Self.backend()
        let token = Hex.string(b.chain.parameters.erc20Token(2))
        let decimals = b.handle(method: "eth_call", params: [.object([.init(key: "to", value: .string(token)), .init(key: "data", value: .string("0x313ce567"))]), .string("latest")])
        #expect(decimals == .result(Array(("\"0x" + String(repeating: "0", count: 62) + "08\"").utf8)))
    }

    func resultBytes(_ outcome: RPCOutcome) -> ArraySlice<UInt8> {
        if case .result(let bytes) = outcome { return bytes }
        return ArraySlice("null".utf8)
    }
}
