// Loads a recorded response as a JSON tree, lets a test break or extend it, and decodes it again.

import Foundation
@testable import Shared

/// Edits of recorded responses, so each negative test starts from real node data and changes
/// exactly one thing.
enum FixtureEdits {
    static let blockJob = "test_export_blocks_job"

    /// The recorded response of a file as a mutable JSON object.
    static func object(_ job: String, _ name: String, _ file: String) throws -> [String: Any] {
        let data = try FixtureFiles.data(job, name, file)
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    /// The `result` of a recorded block response, edited, re-encoded as an envelope.
    static func blockData(_ name: String, _ file: String, edit: (inout [String: Any]) -> Void) throws -> Data {
        var envelope = try object(blockJob, name, file)
        var result = envelope["result"] as? [String: Any] ?? [:]
        edit(&result)
        envelope["result"] = result
        return try JSONSerialization.data(withJSONObject: envelope)
    }

    /// Block 483920 (four transactions, two with Transfer logs), edited.
    static func block483920(edit: (inout [String: Any]) -> Void = { _ in }) throws -> Data {
        try blockData("block_with_logs", "web3_response.eth_getBlockByNumber_0x76250_true.json", edit: edit)
    }

    /// Edits transaction `index` of a block result.
    static func editTransaction(_ index: Int, in result: inout [String: Any], _ edit: (inout [String: Any]) -> Void) {
        var transactions = result["transactions"] as? [[String: Any]] ?? []
        edit(&transactions[index])
        result["transactions"] = transactions
    }

    /// Blocks 47218 and 47219, optionally edited, decoded.
    static func blocks47218(edit47219: (inout [String: Any]) -> Void = { _ in }) throws -> [BlockBundle] {
        let first = try blockData("blocks_with_transactions", "web3_response.eth_getBlockByNumber_0xb872_true.json") { _ in }
        let second = try blockData("blocks_with_transactions", "web3_response.eth_getBlockByNumber_0xb873_true.json", edit: edit47219)
        return [
            BlockBundle(block: try RPCDecoding.block(from: first)),
            BlockBundle(block: try RPCDecoding.block(from: second)),
        ]
    }

    /// Block 483920 with its recorded receipts (in transaction order), each receipt editable.
    static func bundle483920(editReceipts: (inout [[String: Any]]) -> Void = { _ in }) throws -> BlockBundle {
        let block = try RPCDecoding.block(from: try block483920())
        let folder = FixtureFiles.root.appendingPathComponent("test_export_receipts_job/receipts_with_logs")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasPrefix("web3_response.eth_getTransactionReceipt_") }
        var receipts = try files.map { file in
            try object("test_export_receipts_job", "receipts_with_logs", file)["result"] as? [String: Any] ?? [:]
        }
        receipts.sort { HexText.uint64($0["transactionIndex"] as? String ?? "")! < HexText.uint64($1["transactionIndex"] as? String ?? "")! }
        editReceipts(&receipts)
        // As eth_getBlockReceipts answers: one envelope holding the list.
        let data = try JSONSerialization.data(withJSONObject: ["jsonrpc": "2.0", "id": 1, "result": receipts] as [String: Any])
        return BlockBundle(block: block, receipts: try RPCDecoding.blockReceipts(from: data))
    }
}
