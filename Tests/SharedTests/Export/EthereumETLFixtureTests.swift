// Replays ethereum-etl's recorded responses through decode, map and write, and compares with its expected files.

import Foundation
import Testing
@testable import Shared

@Suite("ethereum-etl fixtures")
struct EthereumETLFixtureTests {
    static let blocksJob = "test_export_blocks_job"
    static let receiptsJob = "test_export_receipts_job"

    /// The recorded blocks of a case, decoded, in number order.
    static func blocks(_ name: String) throws -> [RPCBlock] {
        try FixtureFiles.responses(blocksJob, name, prefix: "web3_response.eth_getBlockByNumber_")
            .map { data in try RPCDecoding.block(from: data) }
            .sorted { try $0.numberValue() < $1.numberValue() }
    }

    /// Block 483920 with its four recorded receipts, in transaction order.
    static func blockWithReceipts() throws -> BlockBundle {
        let block = try #require(try blocks("block_with_logs").first)
        let receipts = try FixtureFiles.responses(receiptsJob, "receipts_with_logs", prefix: "web3_response.eth_getTransactionReceipt_")
            .map { data in try RPCDecoding.receipt(from: data) }
            .sorted { HexText.uint64($0.transactionIndex)! < HexText.uint64($1.transactionIndex)! }
        return BlockBundle(block: block, receipts: receipts)
    }

    static func rows(_ entity: ExportEntity, _ bundles: [BlockBundle]) throws -> [ExportRow] {
        try bundles.flatMap { bundle in try ExportMapper.standard.rows(entity, from: bundle) }
    }

    @Test("blocks and transactions match ethereum-etl's export_blocks_job output", arguments: [
        ("block_without_transactions", UInt64(0), UInt64(0)),
        ("block_with_logs", UInt64(483920), UInt64(483920)),
        ("blocks_with_transactions", UInt64(47218), UInt64(47219)),
    ])
    func blocksJob(name: String, first: UInt64, last: UInt64) throws {
        let bundles = try Self.blocks(name).map { BlockBundle(block: $0) }
        try RangeConsistency.check(bundles, first: first, last: last)

        for (entity, file) in [(ExportEntity.blocks, "expected_blocks.csv"), (.transactions, "expected_transactions.csv")] {
            let columns = EntityColumns.of(entity)
            let csv = try FixtureComparison.render(try Self.rows(entity, bundles), columns, as: .csv)
            FixtureComparison.expectCSV(csv, matches: try FixtureFiles.text(Self.blocksJob, name, file), columns)
        }
    }

    @Test("receipts and logs match ethereum-etl's export_receipts_job output, CSV and JSON")
    func receiptsJob() throws {
        let bundle = try Self.blockWithReceipts()
        try RangeConsistency.check([bundle], first: 483920, last: 483920)

        for (entity, stem) in [(ExportEntity.receipts, "expected_receipts"), (.logs, "expected_logs")] {
            let columns = EntityColumns.of(entity)
            let rows = try Self.rows(entity, [bundle])
            let csv = try FixtureComparison.render(rows, columns, as: .csv)
            FixtureComparison.expectCSV(csv, matches: try FixtureFiles.text(Self.receiptsJob, "receipts_with_logs", stem + ".csv"), columns)
            let json = try FixtureComparison.render(rows, columns, as: .json)
            FixtureComparison.expectJSON(json, matches: try FixtureFiles.text(Self.receiptsJob, "receipts_with_logs", stem + ".json"), columns)
        }
    }

    @Test("token transfers from receipts' logs match ethereum-etl's export_token_transfers_job output")
    func tokenTransfersFromReceipts() throws {
        let rows = try Self.rows(.tokenTransfers, [try Self.blockWithReceipts()])
        let csv = try FixtureComparison.render(rows, .tokenTransfers, as: .csv)
        let expected = try FixtureFiles.text("test_export_token_transfers_job", "block_with_transfers", "expected_token_transfers.csv")
        FixtureComparison.expectCSV(csv, matches: expected, .tokenTransfers)
    }

    @Test("token transfers from recorded eth_getFilterLogs match ethereum-etl's output")
    func tokenTransfersFromFilterLogs() throws {
        let job = "test_export_token_transfers_job"
        let logs = try RPCDecoding.logs(from: try FixtureFiles.data(job, "block_with_transfers", "web3_response.eth_getFilterLogs_0x0.json"))
        let rows = try logs.compactMap { log in try TokenTransferMapper().row(log, block: nil) }
        let csv = try FixtureComparison.render(rows, .tokenTransfers, as: .csv)
        FixtureComparison.expectCSV(csv, matches: try FixtureFiles.text(job, "block_with_transfers", "expected_token_transfers.csv"), .tokenTransfers)
    }

    @Test("token transfers extracted from a logs CSV match ethereum-etl's extract_token_transfers_job output")
    func extractTokenTransfers() throws {
        let job = "test_extract_token_transfers_job"
        let table = CSVTable(try FixtureFiles.text(job, "logs", "logs.csv"))
        func column(_ row: [String], _ name: String) -> String { row[table.header.firstIndex(of: name)!] }
        func hex(_ decimal: String) -> String { "0x" + String(UInt64(decimal)!, radix: 16) }
        let logs = table.rows.map { row in
            RPCLog(logIndex: hex(column(row, "log_index")), transactionHash: column(row, "transaction_hash"),
                   transactionIndex: hex(column(row, "transaction_index")), blockHash: column(row, "block_hash"),
                   blockNumber: hex(column(row, "block_number")), address: column(row, "address"),
                   data: column(row, "data"), topics: column(row, "topics").split(separator: ",").map(String.init))
        }
        let rows = try logs.compactMap { log in try TokenTransferMapper().row(log, block: nil) }
        #expect(rows.count == 2, "one of the three logs is not a Transfer")
        let csv = try FixtureComparison.render(rows, .tokenTransfers, as: .csv)
        FixtureComparison.expectCSV(csv, matches: try FixtureFiles.text(job, "logs", "expected_token_transfers.csv"), .tokenTransfers)
    }

    @Test("a header-only block (transaction hashes) counts its transactions and yields no transaction rows")
    func headerOnlyBlock() throws {
        let full = try #require(try Self.blocks("block_with_logs").first)
        let text = try FixtureFiles.text(Self.blocksJob, "block_with_logs", "web3_response.eth_getBlockByNumber_0x76250_true.json")
        // Rebuild the response with hashes instead of objects, as eth_getBlockByNumber(n, false) sends.
        var object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        var result = try #require(object["result"] as? [String: Any])
        result["transactions"] = full.transactions.hashes
        object["result"] = result
        let header = try RPCDecoding.block(from: try JSONSerialization.data(withJSONObject: object), requested: 483920)

        let bundle = BlockBundle(block: header)
        let blockRow = try #require(try ExportMapper.standard.rows(.blocks, from: bundle).first)
        #expect(blockRow["transaction_count"] == .number("4"))
        #expect(try ExportMapper.standard.rows(.transactions, from: bundle).isEmpty)
        #expect(try BlockMapper().row(full) == blockRow)
    }
}
