// Export windows written as CSV straight from the nodes' response bytes.

import Foundation

/// Writes the CSV rows (or JSON lines), and the Parquet cells (`ParquetCells`), of blocks,
/// transactions, receipts, logs and token transfers directly from the bytes of
/// `eth_getBlockByNumber` and `eth_getBlockReceipts` results.
///
/// Why: the decoding path (`RPCBlock` → `EntityMapper` → `ExportRow` → `CSVRowWriter`) makes a
/// `String` per field and an `ExportValue` per cell; at ~100 transactions a block, allocation and
/// reference counting were ~40 % of the export's CPU. The transcoder reads each result once into
/// `JSONSpan`s (offsets, no copies) and writes cells from them.
///
/// It is an optimisation, never a second opinion: it accepts a subset of what the decoding path
/// accepts and writes the same bytes for it. Anything else — escapes or non-ASCII text, a
/// malformed quantity, a failed consistency check (`RangeConsistency`'s rules), an unusual
/// token-transfer word — declines the window, which the exporter then runs through the decoding
/// path, so every error and its message stay that path's.
struct CSVTranscoder {
    /// This window is the decoding path's to handle; `description` says why (for debug logs).
    struct Declined: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// The entities it writes.
    static let entities: Set<ExportEntity> = [.blocks, .transactions, .receipts, .logs, .tokenTransfers]

    /// Whether an export of `entities` in `format` can be transcoded (any format: lines, or
    /// Parquet cells).
    static func handles(_ entities: [ExportEntity], format: RowFormat) -> Bool {
        !entities.isEmpty && entities.allSatisfy(Self.entities.contains)
    }

    /// keccak256("Transfer(address,address,uint256)"), as `TokenTransferMapper` matches it.
    static let transferTopic = Array(TokenTransferMapper.transferTopic.utf8)

    let requested: [ExportEntity]
    /// CSV rows as `CSVRowWriter` writes them, or JSON lines as `JSONLinesRowWriter` does; for
    /// `.parquet`, no lines, only cells.
    let format: RowFormat
    /// Whether lines are written (CSV or JSON lines).
    let writesLines: Bool
    /// Whether Parquet cells are written: for a Parquet export, or the lake beside lines.
    let writesCells: Bool
    let wantsBlocks, wantsTransactions, wantsReceipts, wantsLogs, wantsTransfers: Bool
    /// CSV rows (without header) and row counts, by `slot(of:)`.
    private var outputs: [[UInt8]] = Array(repeating: [], count: 5)
    private var rowCounts = [Int](repeating: 0, count: 5)
    /// Parquet cells by `slot(of:)`, when `writesCells`.
    private var cells: [ParquetCells] = []

    /// `lake`: Parquet cells too, beside the lines of a CSV or JSON-lines export.
    init(entities: [ExportEntity], format: RowFormat = .csv, lake: Bool = false) {
        requested = entities
        self.format = format
        writesLines = format.isLines
        writesCells = format == .parquet || lake
        if writesCells {
            cells = [ExportEntity.blocks, .transactions, .receipts, .logs, .tokenTransfers].map {
                ParquetCells(fields: EntityParquetSchema.of($0).fields.count)
            }
        }
        wantsBlocks = entities.contains(.blocks)
        wantsTransactions = entities.contains(.transactions)
        wantsReceipts = entities.contains(.receipts)
        wantsLogs = entities.contains(.logs)
        wantsTransfers = entities.contains(.tokenTransfers)
    }

    private static func slot(of entity: ExportEntity) -> Int {
        switch entity {
        case .blocks: 0
        case .transactions: 1
        case .receipts: 2
        case .logs: 3
        default: 4
        }
    }

    /// The rows of every requested entity for the blocks of `range`, checked as
    /// `RangeConsistency.check` checks them; or `Declined`.
    mutating func transcode(_ window: RawWindow, range: ClosedRange<UInt64>) throws(Declined) -> TranscodedWindow {
        let count = Int(range.upperBound - range.lowerBound) + 1
        guard window.blocks.count == count else { throw Declined("\(window.blocks.count) blocks for \(count)") }
        if let receipts = window.receipts, receipts.count != count {
            throw Declined("\(receipts.count) receipt lists for \(count) blocks")
        }
        // Room for the window's rows up front, from the size of what they come from, so the
        // buffers do not grow (and copy) by doubling; untouched room costs address space only.
        let blockBytes = window.blocks.reduce(0) { $0 + $1.bytes.count }
        let receiptBytes = window.receipts?.reduce(0) { $0 + $1.bytes.count } ?? 0
        let room = [count * 4096, blockBytes * 3 / 4, receiptBytes / 2, receiptBytes / 2, receiptBytes / 4]
        for index in outputs.indices {
            outputs[index].removeAll(keepingCapacity: true)
            rowCounts[index] = 0
        }
        if writesLines {
            for entity in requested { outputs[Self.slot(of: entity)].reserveCapacity(room[Self.slot(of: entity)]) }
        }
        for index in cells.indices { cells[index].removeAll() }
        var timestamps: [Int64] = []
        var firstParentHash = ""
        var lastHash = ""
        for offset in 0..<count {
            let number = range.lowerBound + UInt64(offset)
            guard let block = window.blocks[offset].parsed else {
                throw Declined("block \(number): JSON left to the decoding path")
            }
            try window.blocks[offset].bytes.withBytes { bytes throws(Declined) in
                guard let base = bytes.baseAddress else { throw Declined("empty block result") }
                let hash = block.header[.hash].bytes(in: base)
                guard HexText.uint64(block.header[.number].bytes(in: base)) == number else {
                    throw Declined("block \(number): number is not \(number)")
                }
                let parentHash = block.header[.parentHash].bytes(in: base)
                if offset == 0 {
                    firstParentHash = String(decoding: parentHash, as: UTF8.self)
                } else {
                    // The previous block was parsed, or this window would have been declined there.
                    let previous = window.blocks[offset - 1]
                    let linked = previous.bytes.withBytes { previousBytes in
                        parentHash.equalsIgnoringASCIICase(previous.parsed!.header[.hash].bytes(in: previousBytes.baseAddress!))
                    }
                    guard linked else { throw Declined("block \(number): parentHash breaks the chain") }
                }
                for index in block.transactions.indices
                where !block.transactions[index][.blockHash].bytes(in: base).equalsIgnoringASCIICase(hash) {
                    throw Declined("block \(number): a transaction names another block hash")
                }
                if let receipts = window.receipts?[offset] {
                    guard let parsed = receipts.parsed else { throw Declined("block \(number): receipts JSON left to the decoding path") }
                    try receipts.bytes.withBytes { receiptBytes throws(Declined) in
                        // A parsed result is at least `[]`, so it has bytes.
                        guard let receiptBase = receiptBytes.baseAddress else { throw Declined("empty receipts result") }
                        try transcodeReceipts(parsed, base: receiptBase, of: block, blockBase: base, number: number)
                    }
                }
                if writesLines {
                    if wantsBlocks { try writeBlock(block, base: base, number: number) }
                    if wantsTransactions { try writeTransactions(block, base: base) }
                }
                if writesCells {
                    // `RangeExporter.blockTime`'s rule: the lake's date comes from it.
                    guard let seconds = HexText.uint64(block.header[.timestamp].bytes(in: base)), seconds <= UInt64(Int64.max / 1_000_000) else {
                        throw Declined("block \(number): the timestamp is not hex or out of range")
                    }
                    timestamps.append(Int64(seconds))
                    if wantsBlocks { try appendBlockCells(block, base: base, number: number) }
                    if wantsTransactions { try appendTransactionCells(block, base: base, timestamp: Int64(seconds)) }
                    for index in cells.indices { cells[index].endBlock() }
                }
                if offset == count - 1 { lastHash = String(decoding: hash, as: UTF8.self) }
            }
        }
        return TranscodedWindow(
            files: writesLines ? requested.map { (rows: outputs[Self.slot(of: $0)], count: rowCounts[Self.slot(of: $0)]) } : [],
            cells: writesCells ? requested.map { cells[Self.slot(of: $0)] } : [],
            timestamps: timestamps, firstParentHash: firstParentHash, lastHash: lastHash
        )
    }

    /// Checks a block's receipts against it and writes their receipt, log and transfer rows.
    private mutating func transcodeReceipts(_ parsed: ReceiptSpans.Parsed, base: UnsafePointer<UInt8>,
                                            of block: BlockSpans.Parsed, blockBase: UnsafePointer<UInt8>,
                                            number: UInt64) throws(Declined) {
        let blockHash = block.header[.hash].bytes(in: blockBase)
        guard parsed.receipts.count == block.transactionCount else {
            throw Declined("block \(number): \(parsed.receipts.count) receipts for \(block.transactionCount) transactions")
        }
        for index in parsed.receipts.indices {
            let receipt = parsed.receipts[index]
            guard receipt[.blockHash].bytes(in: base).equalsIgnoringASCIICase(blockHash),
                  HexText.uint64(receipt[.blockNumber].bytes(in: base)) == number,
                  receipt[.transactionHash].bytes(in: base).equalsIgnoringASCIICase(block.transactionHash(index).bytes(in: blockBase))
            else { throw Declined("block \(number): receipt \(index) does not match its block") }
        }
        for index in parsed.logs.indices {
            let log = parsed.logs[index]
            guard log[.blockHash].bytes(in: base).equalsIgnoringASCIICase(blockHash),
                  HexText.uint64(log[.blockNumber].bytes(in: base)) == number
            else { throw Declined("block \(number): a log does not match its block") }
        }
        if writesLines {
            if wantsReceipts { try writeReceipts(parsed, base: base) }
            if wantsLogs { try writeLogs(parsed, base: base) }
            if wantsTransfers { try writeTransfers(parsed, base: base) }
        }
        if writesCells {
            if wantsReceipts { try appendReceiptCells(parsed, base: base) }
            if wantsLogs { try appendLogCells(parsed, base: base) }
            if wantsTransfers { try appendTransferCells(parsed, base: base) }
        }
    }

    // MARK: Writing

    /// The output buffer of `entity`, moved out so appends do not copy it; `restore` puts it back.
    @inline(__always)
    mutating func take(_ entity: ExportEntity) -> [UInt8] {
        var out: [UInt8] = []
        swap(&out, &outputs[Self.slot(of: entity)])
        return out
    }

    @inline(__always)
    mutating func restore(_ out: inout [UInt8], of entity: ExportEntity, rows: Int) {
        swap(&out, &outputs[Self.slot(of: entity)])
        rowCounts[Self.slot(of: entity)] += rows
    }

    /// Runs `body` on the Parquet cells of `entity`, moved out so appends do not copy them.
    @inline(__always)
    mutating func withCells(_ entity: ExportEntity, _ body: (inout ParquetCells) throws(Declined) -> Void) throws(Declined) {
        var taken = ParquetCells(fields: 0)
        swap(&taken, &cells[Self.slot(of: entity)])
        defer { swap(&taken, &cells[Self.slot(of: entity)]) }
        try body(&taken)
    }
}

/// A window's fetched results as spans: one block result per block and, when receipts are
/// needed, one `eth_getBlockReceipts` result per block.
struct RawWindow: Sendable {
    var blocks: [BlockSpans]
    var receipts: [ReceiptSpans]?
}

/// What the transcoder made of a window: per requested entity (in the order asked for) the CSV
/// rows without header and their count (none for Parquet) and the Parquet cells (when asked for),
/// each block's unix time (with cells, for the lake's dates), and the hashes the exporter links
/// windows with.
struct TranscodedWindow: Sendable {
    var files: [(rows: [UInt8], count: Int)]
    var cells: [ParquetCells] = []
    var timestamps: [Int64] = []
    var firstParentHash: String
    var lastHash: String
}
