// ethereum-etl's rules for trace status, trace ids, selectors and ABI decoding, case by case.

import Testing
@testable import Shared

@Suite("ethereum-etl's trace, contract and token rules")
struct TraceRulesTests {
    func trace(_ type: String, tx: String? = "0xaa", address: [Int], error: String? = nil) -> TraceRecord {
        var trace = TraceRecord(blockNumber: 7)
        trace.traceType = type
        trace.transactionHash = tx
        trace.traceAddress = address
        trace.error = error
        return trace
    }

    @Test("a failed call fails every trace below it, suicides too, not its siblings")
    func statusPropagation() throws {
        var traces = [
            trace("call", address: []), trace("call", address: [0], error: "Reverted"), trace("create", address: [0, 0]),
            trace("suicide", address: [0, 1]), trace("call", address: [1]), trace("call", tx: "0xbb", address: [], error: "Out of gas"),
            trace("call", tx: "0xbb", address: [0]),
        ]
        try TraceStatusCalculator.apply(&traces, block: 7)
        #expect(traces.map(\.status) == [1, 0, 0, 0, 1, 0, 0])
    }

    @Test("geth's create2 frames are parents like any other: their calls get statuses, a failed one fails them, and a successful one is a contract")
    func create2Frames() throws {
        var traces = [
            trace("call", address: []), trace("create2", address: [0]), trace("call", address: [0, 0]),
            trace("create2", address: [1], error: "execution reverted"), trace("call", address: [1, 0]),
        ]
        traces[1].toAddress = "0x01"
        traces[3].toAddress = "0x02"
        try TraceStatusCalculator.apply(&traces, block: 7)
        #expect(traces.map(\.status) == [1, 1, 1, 0, 0])
        #expect(ContractRecord.fromTraces(traces).map(\.address) == ["0x01"])
    }

    @Test("a trace whose parent is missing fails the block, naming the transaction")
    func missingParent() {
        var traces = [trace("call", address: []), trace("call", address: [3, 0])]
        #expect(throws: ExportError.self) { try TraceStatusCalculator.apply(&traces, block: 7) }
    }

    @Test("transaction traces are id'd by type, hash and address; block rewards by their sorted position")
    func traceIDs() {
        var traces = [trace("call", address: []), trace("call", address: [0, 2])]
        for (to, value, kind) in [("0xbb", "5", "uncle"), ("0xaa", "10", "block"), ("0xaa", "9", "block")] {
            var reward = TraceRecord(blockNumber: 7)
            reward.traceType = "reward"
            reward.rewardType = kind
            reward.toAddress = to
            reward.value = value
            traces.append(reward)
        }
        TraceIDCalculator.apply(&traces)
        #expect(traces.map(\.traceID) == ["call_0xaa_", "call_0xaa_0_2", "reward_7_2", "reward_7_1", "reward_7_0"])
    }

    @Test("selectors are the PUSH4 operands before the first JUMPDEST, skipping push data and a truncated PUSH4")
    func selectors() {
        // PUSH4 a; PUSH2 (data holds 0x63); PUSH4 b; PUSH4 a again; JUMPDEST; PUSH4 c (after: ignored)
        let code = "0x63aabbccdd" + "616300" + "6311223344" + "63aabbccdd" + "5b" + "63deadbeef"
        #expect(EVMBytecode.functionSighashes(code) == ["0x11223344", "0xaabbccdd"])
        #expect(EVMBytecode.functionSighashes("0x6011" + "63aabb") == [], "a PUSH4 cut short is no selector")
        #expect(EVMBytecode.functionSighashes("0x") == [])
        #expect(EVMBytecode.functionSighashes(nil) == [])
        #expect(EVMBytecode.functionSighashes("0x63AABBCCDD") == ["0xaabbccdd"])
        // White space around the code (and a second 0x inside it) is stripped, as ethereum-dasm does.
        #expect(EVMBytecode.functionSighashes("0x \n63aabbccdd\t") == ["0xaabbccdd"])
        #expect(EVMBytecode.functionSighashes("0x 0x6311223344") == ["0x11223344"])
        #expect(EVMBytecode.functionSighashes("0x63aabbccdd ") == ["0xaabbccdd"])
    }

    @Test("ERC20 needs all six functions; ERC721 needs balanceOf, ownerOf, approve and one transfer")
    func classification() {
        func code(_ selectors: [String]) -> String { "0x" + selectors.map { "63" + $0 }.joined() }
        let erc20 = ["18160ddd", "70a08231", "a9059cbb", "23b872dd", "095ea7b3", "dd62ed3e"]
        #expect(ContractRecord(address: "0x1", bytecode: code(erc20), blockNumber: 1).isERC20)
        #expect(!ContractRecord(address: "0x1", bytecode: code(Array(erc20.dropLast())), blockNumber: 1).isERC20)
        let erc721 = ContractRecord(address: "0x1", bytecode: code(["70a08231", "6352211e", "095ea7b3", "a9059cbb"]), blockNumber: 1)
        #expect(erc721.isERC721 && !erc721.isERC20)
        #expect(!ContractRecord(address: "0x1", bytecode: code(["70a08231", "6352211e", "095ea7b3"]), blockNumber: 1).isERC721)
    }

    static func word(_ value: Int) -> [UInt8] { [UInt8](repeating: 0, count: 31) + [UInt8(value)] }

    @Test("ABI strings decode as eth-abi does: offset, length, zero padding, strict UTF-8, NULs removed")
    func abiStrings() {
        let body = Array("MKR\u{0}".utf8)
        let good = Self.word(32) + Self.word(body.count) + body + [UInt8](repeating: 0, count: 28)
        #expect(ABIDecoding.string(good) == "MKR")
        #expect(ABIDecoding.string(Self.word(32) + Self.word(0)) == "", "an empty string is a result, not a failure")
        #expect(ABIDecoding.string(Array(good.dropLast())) == nil, "short padding")
        #expect(ABIDecoding.string(Array(good.dropLast()) + [1]) == nil, "non-zero padding")
        #expect(ABIDecoding.string(Self.word(32) + Self.word(2) + [0xC3, 0x28] + [UInt8](repeating: 0, count: 30)) == nil, "invalid UTF-8")
        #expect(ABIDecoding.string([]) == nil)
        #expect(ABIDecoding.string(Array("EOS".utf8) + [UInt8](repeating: 0, count: 29)) == nil, "a bytes32 is no string")
        #expect(ABIDecoding.bytes32String(Array("EOS".utf8) + [UInt8](repeating: 0, count: 29)) == "EOS")
        #expect(ABIDecoding.bytes32String([0xFF] + [UInt8](repeating: 0, count: 31)) == nil)
    }

    @Test("uint8 needs zero high bytes; uint256 reads the first word")
    func abiIntegers() {
        #expect(ABIDecoding.uint8(Self.word(18)) == "18")
        #expect(ABIDecoding.uint8([1] + Self.word(18).dropFirst()) == nil)
        #expect(ABIDecoding.uint8([18]) == nil)
        #expect(ABIDecoding.uint256([UInt8](repeating: 0xFF, count: 32)) == "115792089237316195423570985008687907853269984665640564039457584007913129639935")
        #expect(ABIDecoding.uint256(Self.word(7) + Self.word(9)) == "7")
    }

    @Test("token fallbacks: SYMBOL() after symbol(), bytes32 after both strings; no answers give nulls")
    func tokenFallbacks() {
        let string = Self.word(32) + Self.word(3) + Array("ABC".utf8) + [UInt8](repeating: 0, count: 29)
        let bytes32 = Array("XYZ".utf8) + [UInt8](repeating: 0, count: 29)
        let upper = TokenRecord(address: "0x1", answers: [.symbol: [], .symbolUpper: string, .name: bytes32, .decimalsUpper: Self.word(6)], blockNumber: 3)
        #expect(upper.symbol == "ABC" && upper.name == "XYZ" && upper.decimals == "6" && upper.totalSupply == nil)
        let none = TokenRecord(address: "0x1", answers: [:], blockNumber: nil)
        #expect(none.symbol == nil && none.name == nil && none.decimals == nil && none.totalSupply == nil)
    }

    @Test("trace_address is a bare JSON list and a comma-joined CSV cell")
    func traceAddressText() throws {
        var trace = TraceRecord(blockNumber: 1)
        trace.traceAddress = [0, 12]
        let row = try TraceMapper().row(trace, block: 1)
        #expect(try FixtureComparison.render([row], .traces, as: .json).contains("\"trace_address\": [0, 12]"))
        #expect(try FixtureComparison.render([row], .traces, as: .csv).contains(",\"0,12\","))
    }
}
