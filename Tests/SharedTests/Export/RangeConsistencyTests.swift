// Each consistency check rejects one broken input with an error naming the block and the field.

import Foundation
import Testing
@testable import Shared

@Suite("range consistency")
struct RangeConsistencyTests {
    /// Runs the check and returns its error, failing the test when there is none.
    static func failure(_ bundles: [BlockBundle], _ first: UInt64, _ last: UInt64,
                        sourceLocation: SourceLocation = #_sourceLocation) throws -> ExportError {
        try #require(throws: ExportError.self, sourceLocation: sourceLocation) {
            try RangeConsistency.check(bundles, first: first, last: last)
        }
    }

    static func expect(_ error: ExportError, _ code: ExportError.Code, block: UInt64, field: String,
                       sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(error.code == code, sourceLocation: sourceLocation)
        #expect(error.blockNumber == block, sourceLocation: sourceLocation)
        #expect(error.field == field, sourceLocation: sourceLocation)
        #expect(error.description.contains("block \(block)"), sourceLocation: sourceLocation)
        #expect(error.description.contains(field), sourceLocation: sourceLocation)
        #expect(error.isRetryable, sourceLocation: sourceLocation)
    }

    @Test("recorded mainnet data passes: 47218→47219 chain, and 483920 with its receipts")
    func consistentData() throws {
        try RangeConsistency.check(try FixtureEdits.blocks47218(), first: 47218, last: 47219)
        try RangeConsistency.check([try FixtureEdits.bundle483920()], first: 483920, last: 483920)
    }

    @Test("bundles fetched alongside a transcoded window must be the same blocks (same first parent, same last hash)")
    func alongsideAgreement() throws {
        let bundles = try FixtureEdits.blocks47218()
        let parent = bundles[0].block.parentHash, last = bundles[1].block.hash
        let window: ClosedRange<UInt64> = 47218...47219
        try RangeExporter.agree(bundles, with: TranscodedWindow(files: [], firstParentHash: parent, lastHash: last), window: window)
        try RangeExporter.agree(bundles, with: TranscodedWindow(files: [], firstParentHash: parent.uppercased(), lastHash: last.uppercased()), window: window)
        let other = "0x" + String(repeating: "ab", count: 32)
        Self.expect(try #require(throws: ExportError.self) {
            try RangeExporter.agree(bundles, with: TranscodedWindow(files: [], firstParentHash: parent, lastHash: other), window: window)
        }, .blockHashMismatch, block: 47219, field: "hash")
        Self.expect(try #require(throws: ExportError.self) {
            try RangeExporter.agree(bundles, with: TranscodedWindow(files: [], firstParentHash: other, lastHash: last), window: window)
        }, .parentHashMismatch, block: 47218, field: "parentHash")
    }

    @Test("blocks other than the requested numbers are rejected")
    func wrongNumbers() throws {
        let bundles = try FixtureEdits.blocks47218()
        Self.expect(try Self.failure(bundles, 47217, 47218), .blockNumberMismatch, block: 47217, field: "number")
        Self.expect(try Self.failure(bundles.reversed(), 47218, 47219), .blockNumberMismatch, block: 47218, field: "number")
        Self.expect(try Self.failure(bundles, 47218, 47220), .blockNumberMismatch, block: 47220, field: "number")
        Self.expect(try Self.failure(bundles, 47218, 47218), .blockNumberMismatch, block: 47219, field: "number")
        Self.expect(try Self.failure([bundles[0]], 47218, 47219), .blockNumberMismatch, block: 47219, field: "number")
    }

    @Test("a parentHash that is not the previous block's hash is rejected")
    func brokenChain() throws {
        let bundles = try FixtureEdits.blocks47218 { block in
            block["parentHash"] = "0x" + String(repeating: "ab", count: 32)
        }
        Self.expect(try Self.failure(bundles, 47218, 47219), .parentHashMismatch, block: 47219, field: "parentHash")
    }

    @Test("a receipt count other than the transaction count is rejected")
    func receiptCount() throws {
        let bundle = try FixtureEdits.bundle483920 { receipts in receipts.removeLast() }
        Self.expect(try Self.failure([bundle], 483920, 483920), .receiptCountMismatch, block: 483920, field: "receipts")
    }

    @Test("a receipt naming another block hash or number is rejected")
    func receiptBlock() throws {
        let otherHash = try FixtureEdits.bundle483920 { receipts in receipts[2]["blockHash"] = "0x" + String(repeating: "cd", count: 32) }
        Self.expect(try Self.failure([otherHash], 483920, 483920), .blockHashMismatch, block: 483920, field: "receipts[2].blockHash")
        let otherNumber = try FixtureEdits.bundle483920 { receipts in receipts[3]["blockNumber"] = "0x76251" }
        Self.expect(try Self.failure([otherNumber], 483920, 483920), .blockHashMismatch, block: 483920, field: "receipts[3].blockNumber")
    }

    @Test("a log naming another block hash or number is rejected")
    func logBlock() throws {
        func editLog(_ receipts: inout [[String: Any]], _ key: String, _ value: String) {
            var logs = receipts[1]["logs"] as? [[String: Any]] ?? []
            logs[0][key] = value
            receipts[1]["logs"] = logs
        }
        let otherHash = try FixtureEdits.bundle483920 { editLog(&$0, "blockHash", "0x" + String(repeating: "ef", count: 32)) }
        Self.expect(try Self.failure([otherHash], 483920, 483920), .blockHashMismatch, block: 483920, field: "receipts[1].logs[0].blockHash")
        let otherNumber = try FixtureEdits.bundle483920 { editLog(&$0, "blockNumber", "0x1") }
        Self.expect(try Self.failure([otherNumber], 483920, 483920), .blockHashMismatch, block: 483920, field: "receipts[1].logs[0].blockNumber")
    }

    @Test("receipts out of transaction order are rejected")
    func receiptOrder() throws {
        let bundle = try FixtureEdits.bundle483920 { receipts in receipts.swapAt(0, 1) }
        Self.expect(try Self.failure([bundle], 483920, 483920), .transactionMismatch, block: 483920, field: "receipts[0].transactionHash")
    }

    @Test("a transaction naming another block hash is rejected")
    func transactionBlock() throws {
        let data = try FixtureEdits.block483920 { block in
            FixtureEdits.editTransaction(3, in: &block) { $0["blockHash"] = "0x" + String(repeating: "01", count: 32) }
        }
        let bundle = BlockBundle(block: try RPCDecoding.block(from: data))
        Self.expect(try Self.failure([bundle], 483920, 483920), .blockHashMismatch, block: 483920, field: "transactions[3].blockHash")
    }
}
