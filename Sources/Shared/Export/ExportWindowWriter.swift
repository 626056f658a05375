// Writing an export's fetched windows in block order, outside the exporter's task group.

/// Writes the fetched windows of one export in block order: checks each window's link to the
/// previous one, then writes the transcoder's lines or Parquet cells (and the lake's cells), or
/// maps decoded bundles to rows for every file (and the lake). One per export, used by one task.
final class ExportWindowWriter {
    let outputs: [EntityOutput]
    /// The transcoded entities' writers, in `transcodable` order: line writers, or Parquet ones.
    let encoded: [any EncodedRowWriter]
    let parquet: [ParquetRowWriter]
    let transcodable: [ExportEntity]
    /// The outputs of the entities decoded beside a transcoded window.
    let alongside: [EntityOutput]
    let lake: LakePartitionWriter?
    let mapper: ExportMapper
    private(set) var firstParentHash: String?
    private(set) var previousHash: String?

    init(outputs: [EntityOutput], encoded: [any EncodedRowWriter], parquet: [ParquetRowWriter], transcodable: [ExportEntity],
         alongside: [EntityOutput], lake: LakePartitionWriter?, mapper: ExportMapper) {
        self.outputs = outputs
        self.encoded = encoded
        self.parquet = parquet
        self.transcodable = transcodable
        self.alongside = alongside
        self.lake = lake
        self.mapper = mapper
    }

    /// Checks that a window's first block follows the previous window's last one.
    func link(first: UInt64, parentHash: String, lastHash: String) throws(ExportError) {
        if let previousHash, !parentHash.equalsIgnoringASCIICase(previousHash) {
            throw ExportError(.parentHashMismatch, block: first, field: "parentHash",
                              "parentHash \(parentHash) is not the hash \(previousHash) of block \(first - 1)")
        }
        if firstParentHash == nil { firstParentHash = parentHash }
        previousHash = lastHash
    }

    @inline(never)
    func write(_ fetched: FetchedWindow, window: ClosedRange<UInt64>) throws {
        switch fetched {
        case .transcoded(let transcoded, let bundles):
            // Checked inside the window by the transcoder; linked to the previous one here.
            try link(first: window.lowerBound, parentHash: transcoded.firstParentHash, lastHash: transcoded.lastHash)
            if !bundles.isEmpty {
                try RangeConsistency.check(bundles, first: window.lowerBound, last: window.upperBound)
                try RangeExporter.agree(bundles, with: transcoded, window: window)
            }
            for (writer, file) in zip(encoded, transcoded.files) {
                try writer.write(encoded: file.rows, count: file.count)
            }
            for (writer, cells) in zip(parquet, transcoded.cells) {
                try writer.write(cells, rows: 0..<cells.rowCount)
            }
            if let lake {
                for (entity, cells) in zip(transcodable, transcoded.cells) {
                    try lake.write(cells, entity: entity, first: window.lowerBound, timestamps: transcoded.timestamps)
                }
            }
            for bundle in bundles { try write(bundle, to: alongside) }
        case .bundles(let bundles):
            try RangeConsistency.check(bundles, first: window.lowerBound, last: window.upperBound)
            if let first = bundles.first?.block, let last = bundles.last?.block {
                try link(first: window.lowerBound, parentHash: first.parentHash, lastHash: last.hash)
            }
            for bundle in bundles { try write(bundle, to: outputs) }
        }
    }

    /// A decoded block's rows of `outputs`' entities, to their files and the lake.
    private func write(_ bundle: BlockBundle, to outputs: [EntityOutput]) throws {
        let lakeBlock = try lake.map { _ in try RangeExporter.blockTime(bundle) }
        for output in outputs {
            let rows = try mapper.rows(output.entity, from: bundle)
            try output.writer.write(contentsOf: rows)
            if let lake, let lakeBlock {
                try lake.write(rows, entity: output.entity, block: lakeBlock.number, timestamp: lakeBlock.timestamp)
            }
        }
    }
}
