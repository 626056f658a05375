// Decoding JSON-RPC batches: responses in order, and a malformed element named by block and field.

import Foundation
import Testing
@testable import Shared

@Suite("decoding batches")
struct RPCBatchDecodingTests {
    static func batch(_ second: (inout [String: Any]) -> Void) throws -> Data {
        let job = "test_export_blocks_job", name = "blocks_with_transactions"
        let first = try FixtureEdits.object(job, name, "web3_response.eth_getBlockByNumber_0xb872_true.json")
        var other = try FixtureEdits.object(job, name, "web3_response.eth_getBlockByNumber_0xb873_true.json")
        var result = other["result"] as? [String: Any] ?? [:]
        second(&result)
        other["result"] = result
        other["id"] = "b"
        return try JSONSerialization.data(withJSONObject: [first, other])
    }

    @Test("a batch decodes into responses in order, ids kept")
    func decodes() throws {
        let responses = try RPCDecoding.batch(RPCBlock.self, from: try Self.batch { _ in })
        #expect(responses.count == 2)
        #expect(responses.map(\.id) == ["1", "b"])
        #expect(try responses.map { try $0.result?.numberValue() } == [47218, 47219])
    }

    @Test("a malformed element fails the batch naming its block and field")
    func malformedElement() throws {
        let data = try Self.batch { block in
            FixtureEdits.editTransaction(1, in: &block) { $0.removeValue(forKey: "gas") }
        }
        let error = try #require(throws: ExportError.self) { try RPCDecoding.batch(RPCBlock.self, from: data) }
        #expect(error.code == .missingField)
        #expect(error.blockNumber == 47219)
        #expect(error.field == "transactions[1].gas")
    }
}
