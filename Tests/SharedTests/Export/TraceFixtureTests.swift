// ethereum-etl's recorded trace, contract and token cases, decoded, mapped, written and compared.

import Foundation
import Testing
@testable import Shared

/// A recorded JSON-RPC response's `result`.
struct ResultEnvelope<T: Decodable>: Decodable {
    let result: T
}

@Suite("ethereum-etl fixtures: traces, contracts, tokens")
struct TraceFixtureTests {
    static let cases: [(name: String, block: UInt64)] = [
        ("block_with_create", 1000690), ("block_with_error", 1000895), ("block_with_subtraces", 1000000),
        ("block_with_suicide", 1011973), ("block_without_transactions", 0),
    ]

    /// The `result` of a recorded JSON-RPC response, decoded as `T`.
    static func result<T: Decodable>(_ data: Data, as type: T.Type) throws -> T {
        try JSONDecoder().decode(ResultEnvelope<T>.self, from: data).result
    }

    static func render(_ rows: [ExportRow], _ columns: EntityColumns, _ format: RowFormat) throws -> String {
        try FixtureComparison.render(rows, columns, as: format)
    }

    @Test("trace_block answers export as ethereum-etl's export_traces_job output", arguments: cases)
    func parityTraces(name: String, block: UInt64) throws {
        let data = try #require(try FixtureFiles.responses("test_export_traces_job", name, prefix: "web3_response.trace_block_").first)
        let records = try TraceRecord.parityBlock(try Self.result(data, as: [RPCParityTrace].self), block: block)
        let rows = try records.map { try TraceMapper().row($0, block: block) }
        let csv = try Self.render(rows, .traces, .csv)
        FixtureComparison.expectCSV(csv, matches: try FixtureFiles.text("test_export_traces_job", name, "expected_traces.csv"), .traces)
    }

    @Test("callTracer answers export as ethereum-etl's extract_geth_traces_job output", arguments: cases.map { ($0.name, $0.block == 0 ? 1 : $0.block) })
    func gethTraces(name: String, block: UInt64) throws {
        let data = try #require(try FixtureFiles.responses("test_extract_geth_traces_job", name, prefix: "web3_response.debug_traceBlockByNumber_").first)
        let answer = try Self.result(data, as: [RPCGethTransactionTrace].self)
        let records = try TraceRecord.gethBlock(answer, block: block, transactionHashes: [], style: .ethereumETL)
        let csv = try Self.render(try records.map { try TraceMapper().row($0, block: block) }, .traces, .csv)
        FixtureComparison.expectCSV(csv, matches: try FixtureFiles.text("test_extract_geth_traces_job", name, "expected_traces.csv"), .traces)
    }

    @Test("complete geth rows carry the transaction hash, status and trace id ethereum-etl computes from parity traces")
    func gethComplete() throws {
        // block_with_error: parity and geth record the same two transactions; the first ran out of gas.
        let parityData = try #require(try FixtureFiles.responses("test_export_traces_job", "block_with_error", prefix: "web3_response.trace_block_").first)
        let parity = try TraceRecord.parityBlock(try Self.result(parityData, as: [RPCParityTrace].self), block: 1000895).filter { $0.transactionHash != nil }
        let gethData = try #require(try FixtureFiles.responses("test_extract_geth_traces_job", "block_with_error", prefix: "web3_response.debug_traceBlockByNumber_").first)
        let geth = try TraceRecord.gethBlock(try Self.result(gethData, as: [RPCGethTransactionTrace].self), block: 1000895,
                                             transactionHashes: parity.map { $0.transactionHash! }, style: .complete)
        #expect(geth.map(\.transactionHash) == parity.map(\.transactionHash))
        #expect(geth.map(\.status) == parity.map(\.status))
        #expect(geth.map(\.traceID) == parity.map(\.traceID))
        #expect(geth.map(\.status) == [0, 1])
    }

    @Test("a contract's selectors and ERC721 verdict from its eth_getCode answer match ethereum-etl's export_contracts_job JSON")
    func contracts() throws {
        let job = "test_export_contracts_job", name = "erc721_contract"
        let data = try #require(try FixtureFiles.responses(job, name, prefix: "web3_response.eth_getCode_").first)
        let contract = ContractRecord(address: "0x06012c8cf97bead5deae237070f9587f8e7a266d", bytecode: try Self.result(data, as: String.self), blockNumber: nil)
        #expect(contract.isERC721 && !contract.isERC20)
        let json = try Self.render([try ContractMapper().row(contract, block: nil)], .contracts, .json)
        FixtureComparison.expectJSON(json, matches: try FixtureFiles.text(job, name, "expected_contracts.json"), .contracts)
    }

    @Test("token metadata from recorded eth_call answers matches ethereum-etl's export_tokens_job output", arguments: [
        ("token_with_alternative_return_type", "0x86fa049857e0209aa7d9e616f7eb3b3b78ecfdb0"),
        ("token_with_invalid_data", "0xf763be8b3263c268e9789abfb3934564a7b80054"),
    ])
    func tokens(name: String, address: String) throws {
        let job = "test_export_tokens_job"
        var answers: [TokenRecord.Call: [UInt8]] = [:]
        for call in TokenRecord.Call.allCases {
            let file = "web3_response.eth_call_data_\(call.data)_to_\(address)_latest.json"
            guard let data = try? FixtureFiles.data(job, name, file) else { continue } // not recorded: the call failed
            let hex = try Self.result(data, as: String.self)
            answers[call] = try #require(EVMBytecode.bytes(String(hex.dropFirst(2))))
        }
        let token = TokenRecord(address: address, answers: answers, blockNumber: nil)
        let csv = try Self.render([try TokenMapper().row(token, block: nil)], .tokens, .csv)
        FixtureComparison.expectCSV(csv, matches: try FixtureFiles.text(job, name, "expected_tokens.csv"), .tokens)
    }
}
