// SyntheticTraceTests: the synthetic node's two trace APIs, its inner contracts and its API switches.

import Testing
@testable import DevChain

@Suite("synthetic traces")
struct SyntheticTraceTests {
    static let parameters = SyntheticChainParameters(seed: 7, blockCount: 40, transactionsPerBlock: 25)
    static func backend(disabled: Set<String> = []) -> SyntheticBackend {
        SyntheticBackend(chain: SyntheticChain(parameters: parameters), disabledNamespaces: disabled)
    }

    func json(_ outcome: RPCOutcome) throws -> JSONValue {
        guard case .result(let bytes) = outcome else { throw DevChainError.configuration("not a result: \(outcome)") }
        return try JSONParser.parse(Array(bytes))
    }

    func frames(_ frame: JSONValue) -> Int {
        guard case .array(let calls)? = frame["calls"] else { return 1 }
        return 1 + calls.map(frames).reduce(0, +)
    }

    @Test("trace_block lists every callTracer frame, depth first, with the same transactions")
    func bothAPIsAgree() throws {
        let b = Self.backend()
        var kinds = Set<String>()
        for n in 1...40 {
            let hex = "0x" + String(n, radix: 16)
            guard case .array(let geth) = try json(b.handle(method: "debug_traceBlockByNumber", params: [.string(hex), .object([.init(key: "tracer", value: .string("callTracer"))])])),
                  case .array(let parity) = try json(b.handle(method: "trace_block", params: [.string(hex)])) else {
                Issue.record("not arrays"); return
            }
            #expect(geth.count == 25)
            #expect(parity.count == geth.compactMap { $0["result"] }.map(frames).reduce(0, +))
            for trace in parity {
                kinds.insert(trace["type"]?.stringValue ?? "?")
                if trace["error"] != nil { kinds.insert("error") }
                if case .array(let address)? = trace["traceAddress"], address.count > 1 { kinds.insert("nested") }
            }
        }
        #expect(kinds.isSuperset(of: ["call", "create", "suicide", "error", "nested"]), "\(kinds)")
    }

    @Test("the genesis block is not traceable by geth; trace_block answers it with no traces")
    func genesis() throws {
        let b = Self.backend()
        #expect(b.handle(method: "debug_traceBlockByNumber", params: [.string("0x0"), .object([.init(key: "tracer", value: .string("callTracer"))])])
                == .error(RPCError(code: -32000, message: "genesis is not traceable")))
        guard case .array(let traces) = try json(b.handle(method: "trace_block", params: [.string("0x0")])) else { Issue.record("not an array"); return }
        #expect(traces.isEmpty)
    }

    @Test("contracts created by contracts have code and answer metadata calls by kind")
    func innerContracts() throws {
        let chain = SyntheticChain(parameters: Self.parameters)
        var seen = Set<InnerContractKind>()
        for n in UInt64(1)...40 {
            for i in UInt64(0)..<25 {
                let tx = SyntheticTransaction(parameters: Self.parameters, number: n, index: i)
                guard let inner = SyntheticTrace.innerCreation(Self.parameters, tx) else { continue }
                seen.insert(inner.kind)
                #expect(chain.account(inner.address) == .inner(block: n, index: i, kind: inner.kind))
                #expect(!chain.code(at: inner.address).isEmpty)
                let symbol = chain.call(to: inner.address, data: [0x95, 0xD8, 0x9B, 0x41])
                let reverts = [InnerContractKind.erc20Reverting, .plain, .erc20UpperCase].contains(inner.kind)
                #expect(reverts == (symbol == .error(RPCError(code: 3, message: "execution reverted"))), "\(inner.kind)")
                #expect(chain.call(to: inner.address, data: [0x95, 0xD8, 0x9B, 0x41], at: n - 1) == .result(Array("\"0x\"".utf8)), "not yet created")
            }
        }
        #expect(seen.count >= 5, "\(seen)")
    }

    @Test("--no-debug-api and --no-trace-api answer their namespaces with method not found")
    func disabledAPIs() {
        let b = Self.backend(disabled: ["debug", "trace"])
        #expect(b.handle(method: "trace_block", params: [.string("0x1")]) == .error(.methodNotFound("trace_block")))
        #expect(b.handle(method: "debug_traceBlockByNumber", params: [.string("0x1")]) == .error(.methodNotFound("debug_traceBlockByNumber")))
        #expect(b.handle(method: "eth_blockNumber", params: []) == .quantity(40))
    }
}
