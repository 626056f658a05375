// Decoding node responses: malformed blocks are rejected with errors naming the block and the field.

import Foundation
import Testing
@testable import Shared

@Suite("decoding node responses")
struct RPCDecodingTests {
    @Test("a block missing a required field names the field and the block it claims to be")
    func missingBlockField() throws {
        let data = try FixtureEdits.block483920 { $0.removeValue(forKey: "hash") }
        let error = try #require(throws: ExportError.self) { try RPCDecoding.block(from: data) }
        #expect(error.code == .missingField)
        #expect(error.field == "hash")
        #expect(error.blockNumber == 483920)
        #expect(error.description.contains("block 483920") && error.description.contains("hash"))
        // Another replica may answer well: the attempt fails, the job retries, then dead-letters.
        #expect(error.isRetryable)
    }

    @Test("a transaction missing a field names its path, and the requested block wins")
    func missingTransactionField() throws {
        let data = try FixtureEdits.block483920 { block in
            FixtureEdits.editTransaction(2, in: &block) { $0.removeValue(forKey: "from") }
        }
        let error = try #require(throws: ExportError.self) { try RPCDecoding.block(from: data, requested: 483920) }
        #expect(error.code == .missingField)
        #expect(error.field == "transactions[2].from")
        #expect(error.blockNumber == 483920)
    }

    @Test("a null required field is a missing field")
    func nullField() throws {
        let data = try FixtureEdits.block483920 { $0["gasUsed"] = NSNull() }
        let error = try #require(throws: ExportError.self) { try RPCDecoding.block(from: data) }
        #expect(error.code == .missingField)
        #expect(error.field == "gasUsed")
        #expect(error.blockNumber == 483920)
    }

    @Test("bad hex in a block field is rejected when mapped, naming block and field")
    func badBlockHex() throws {
        let block = try RPCDecoding.block(from: try FixtureEdits.block483920 { $0["gasUsed"] = "0x2315zz" })
        let error = try #require(throws: ExportError.self) { try BlockMapper().row(block) }
        #expect(error.code == .malformedHex)
        #expect(error.field == "gasUsed")
        #expect(error.blockNumber == 483920)
        #expect(error.description.contains("0x2315zz"))
    }

    @Test("bad hex in a transaction value is rejected when mapped, naming its path")
    func badTransactionHex() throws {
        let data = try FixtureEdits.block483920 { block in
            FixtureEdits.editTransaction(1, in: &block) { $0["value"] = "0x12g" }
        }
        let bundle = BlockBundle(block: try RPCDecoding.block(from: data))
        let error = try #require(throws: ExportError.self) { try TransactionMapper().rows(from: bundle) }
        #expect(error.code == .malformedHex)
        #expect(error.field == "transactions[1].value")
        #expect(error.blockNumber == 483920)
    }

    @Test("a bad block number is rejected naming the number field")
    func badNumber() throws {
        let block = try RPCDecoding.block(from: try FixtureEdits.block483920 { $0["number"] = "block" })
        let error = try #require(throws: ExportError.self) { try BlockMapper().row(block) }
        #expect(error.code == .malformedHex)
        #expect(error.field == "number")
    }

    @Test("a field of the wrong JSON type is malformed JSON naming the field")
    func wrongType() throws {
        let data = try FixtureEdits.block483920 { $0["timestamp"] = 1446561880 }
        let error = try #require(throws: ExportError.self) { try RPCDecoding.block(from: data) }
        #expect(error.code == .malformedJSON)
        #expect(error.field == "timestamp")
        #expect(error.blockNumber == 483920)
    }

    @Test("a receipt missing a log field names the receipt and log")
    func missingLogField() throws {
        let error = try #require(throws: ExportError.self) {
            try FixtureEdits.bundle483920 { receipts in
                var logs = receipts[1]["logs"] as? [[String: Any]] ?? []
                logs[0].removeValue(forKey: "topics")
                receipts[1]["logs"] = logs
            }
        }
        #expect(error.code == .missingField)
        #expect(error.field == "receipts[1].logs[0].topics")
        #expect(error.blockNumber == 483920)
    }

    @Test("a null result or an error object is a retryable RPC error")
    func rpcErrors() throws {
        let null = try #require(throws: ExportError.self) {
            try RPCDecoding.block(from: Data(#"{"jsonrpc":"2.0","id":7,"result":null}"#.utf8), requested: 99)
        }
        #expect(null.code == .rpcError && null.blockNumber == 99 && null.isRetryable)
        let failed = try #require(throws: ExportError.self) {
            try RPCDecoding.block(from: Data(#"{"jsonrpc":"2.0","id":7,"error":{"code":-32000,"message":"header not found"}}"#.utf8), requested: 99)
        }
        #expect(failed.code == .rpcError && failed.description.contains("header not found"))
    }

    @Test("bytes that are not JSON are malformed JSON")
    func notJSON() throws {
        let error = try #require(throws: ExportError.self) { try RPCDecoding.block(from: Data("<html>".utf8), requested: 5) }
        #expect(error.code == .malformedJSON && error.blockNumber == 5)
    }

    @Test("a bare result (already out of its envelope) decodes too, with the response id kept")
    func bareAndIds() throws {
        let object = try FixtureEdits.object("test_export_blocks_job", "block_with_logs", "web3_response.eth_getBlockByNumber_0x76250_true.json")
        let result = try JSONSerialization.data(withJSONObject: object["result"] as Any)
        let block = try RPCDecoding.value(RPCBlock.self, from: result)
        #expect(try block.numberValue() == 483920)
        let response = try JSONDecoder().decode(RPCResponse<RPCBlock>.self, from: try FixtureEdits.block483920())
        #expect(response.id == "1")
    }

    @Test("EIP-4844 and withdrawal fields map to ethereum-etl 2.4.x values")
    func dencunFields() throws {
        let data = try FixtureEdits.block483920 { block in
            block["baseFeePerGas"] = "0x3b9aca00"
            block["withdrawalsRoot"] = "0x" + String(repeating: "11", count: 32)
            block["withdrawals"] = [["index": "0x1", "validatorIndex": "0x2", "address": "0xAbC0000000000000000000000000000000000001", "amount": "0x10000000000000000"]]
            block["blobGasUsed"] = "0x20000"
            block["excessBlobGas"] = "0x0"
            FixtureEdits.editTransaction(0, in: &block) { transaction in
                transaction["type"] = "0x3"
                transaction["to"] = "0xF4ECED2F682CE333F96F2D8966C613DED8FC95DD"
                transaction["maxFeePerGas"] = "0x77359400"
                transaction["maxPriorityFeePerGas"] = "0x3b9aca00"
                transaction["maxFeePerBlobGas"] = "0x1"
                transaction["blobVersionedHashes"] = ["0x01aa", "0x01bb"]
            }
        }
        let bundle = BlockBundle(block: try RPCDecoding.block(from: data))
        let block = try #require(try ExportMapper.standard.rows(.blocks, from: bundle).first)
        #expect(block["base_fee_per_gas"] == .number("1000000000"))
        #expect(block["blob_gas_used"] == .number("131072"))
        #expect(block["excess_blob_gas"] == .number("0"))
        #expect(block["withdrawals"] == .objects([ExportObject([
            "index": .number("1"), "validator_index": .number("2"),
            "address": .text("0xAbC0000000000000000000000000000000000001"), "amount": .number("18446744073709551616"),
        ])]))
        let transaction = try #require(try ExportMapper.standard.rows(.transactions, from: bundle).first)
        #expect(transaction["transaction_type"] == .number("3"))
        #expect(transaction["to_address"] == .text("0xf4eced2f682ce333f96f2d8966c613ded8fc95dd"))
        #expect(transaction["max_fee_per_blob_gas"] == .number("1"))
        #expect(transaction["blob_versioned_hashes"] == .texts(["0x01aa", "0x01bb"]))
        let csv = try FixtureComparison.render([transaction], .transactions, as: .csv)
        #expect(csv.hasSuffix(",2000000000,1000000000,3,1,\"0x01aa,0x01bb\"\r\n"))
        let json = try FixtureComparison.render([transaction], .transactions, as: .json)
        #expect(json.hasSuffix(#""transaction_type": 3, "max_fee_per_blob_gas": 1, "blob_versioned_hashes": ["0x01aa", "0x01bb"]}"# + "\n"))
        let other = try #require(try ExportMapper.standard.rows(.transactions, from: bundle).last)
        #expect(other["blob_versioned_hashes"] == .null)
    }

    @Test("receipt status, contract address and l1 fee scalar follow ethereum-etl's conversions")
    func receiptConversions() throws {
        let bundle = try FixtureEdits.bundle483920 { receipts in
            receipts[0]["status"] = "0x1"
            receipts[0]["root"] = NSNull()
            receipts[0]["contractAddress"] = "0x00000000000000000000000000000000000000AA"
            receipts[0]["l1FeeScalar"] = "0.684"
            receipts[0]["blobGasUsed"] = "0x20000"
            receipts[0]["blobGasPrice"] = "0x1"
            receipts[1]["l1FeeScalar"] = "0.00001"
        }
        let rows = try ExportMapper.standard.rows(.receipts, from: bundle)
        #expect(rows[0]["status"] == .number("1"))
        #expect(rows[0]["root"] == .null)
        #expect(rows[0]["contract_address"] == .text("0x00000000000000000000000000000000000000aa"))
        #expect(rows[0]["l1_fee_scalar"] == .number("0.684"))
        #expect(rows[1]["l1_fee_scalar"] == .number("1e-05"))
        #expect(rows[0]["blob_gas_used"] == .number("131072"))
        #expect(rows[0]["blob_gas_price"] == .number("1"))
    }

    @Test("receipts-derived entities need receipts, trace-derived ones traces; unmapped entities are refused")
    func entityRequirements() throws {
        let bundle = BlockBundle(block: try RPCDecoding.block(from: try FixtureEdits.block483920()))
        for entity in [ExportEntity.receipts, .logs, .tokenTransfers] {
            #expect(ExportMapper.needsReceipts(entity))
            let error = try #require(throws: ExportError.self) { try ExportMapper.standard.rows(entity, from: bundle) }
            #expect(error.code == .missingField && error.field == "receipts" && error.blockNumber == 483920)
        }
        for (entity, field) in [(ExportEntity.traces, "traces"), (.contracts, "contracts"), (.tokens, "tokens")] {
            #expect(ExportMapper.needsTraces(entity) && !ExportMapper.needsReceipts(entity))
            let error = try #require(throws: ExportError.self) { try ExportMapper.standard.rows(entity, from: bundle) }
            #expect(error.code == .missingField && error.field == field && error.blockNumber == 483920)
        }
        #expect(ExportMapper.standard.entities == ExportEntity.allCases)
        let partial = ExportMapper([BlockMapper()])
        let error = try #require(throws: ExportError.self) { try partial.rows(.traces, from: bundle) }
        #expect(error.code == .unsupportedEntity)
    }
}
