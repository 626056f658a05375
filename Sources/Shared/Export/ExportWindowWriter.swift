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
    let format: RowFormat
    /// Trace rows go straight into the line writer's bytes (`TraceMapper.encode`); never with a lake.
    let encodesTraces: Bool
    private(set) var firstParentHash: String?
    private(set) var previousHash: String?
    /// Windows whose trace rows came written (`EncodedTraces`).
    private(set) var encodedTraceWindows = 0

    init(outputs: [EntityOutput], encoded: [any EncodedRowWriter], parquet: [ParquetRowWriter], transcodable: [ExportEntity],
         alongside: [EntityOutput], lake: LakePartitionWriter?, mapper: ExportMapper, format: RowFormat, encodesTraces: Bool) {
        self.outputs = outputs
        self.encoded = encoded
        self.parquet = parquet
        self.transcodable = transcodable
        self.alongside = alongside
        self.lake = lake
        self.mapper = mapper
        self.format = format
        self.encodesTraces = encodesTraces
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
        case .transcoded(let transcoded, let bundles, let traces):
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
            try write(bundles, to: alongside, traces: traces)
        case .bundles(let bundles, let traces):
            try RangeConsistency.check(bundles, first: window.lowerBound, last: window.upperBound)
            if let first = bundles.first?.block, let last = bundles.last?.block {
                try link(first: window.lowerBound, parentHash: first.parentHash, lastHash: last.hash)
            }
            try write(bundles, to: outputs, traces: traces)
        }
    }

    /// A window's decoded blocks to `outputs` (and the lake), trace rows encoded at once when
    /// asked, or written already (`traces`).
    private func write(_ bundles: [BlockBundle], to outputs: [EntityOutput], traces: EncodedTraces?) throws {
        if encodesTraces, lake == nil {
            try writeRows(of: bundles, to: outputs, traces: traces)
        } else {
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

    /// Writes the rows of `bundles` (a window, in block order) to each output; trace rows go
    /// straight into the writer's format (`TraceMapper.encode`), the same bytes as the mapped rows.
    private func writeRows(of bundles: [BlockBundle], to outputs: [EntityOutput], traces: EncodedTraces?) throws {
        let encoded = encodesTraces ? outputs.first { $0.entity == .traces && $0.writer is any EncodedRowWriter } : nil
        // Block by block, as the lake's path writes them (so the first failing block fails first).
        for bundle in bundles {
            for output in outputs where output !== encoded {
                try output.writer.write(contentsOf: try mapper.rows(output.entity, from: bundle))
            }
        }
        guard let encoded, let writer = encoded.writer as? any EncodedRowWriter else { return }
        if let traces {
            try writer.write(encoded: traces.rows, count: traces.count)
            encodedTraceWindows += 1
            return
        }
        if try writeEncodedTraces(of: bundles, to: writer) { return }
        for bundle in bundles {
            try writer.write(contentsOf: try mapper.rows(.traces, from: bundle))
        }
    }

    /// The window's trace rows encoded at once; false (nothing written) when a block has no
    /// traces fetched or the format is not encoded, for the mapper to report or write.
    private func writeEncodedTraces(of bundles: [BlockBundle], to writer: any EncodedRowWriter) throws -> Bool {
        var count = 0
        var bytes = 0
        for bundle in bundles {
            guard let traces = bundle.traces else { return false }
            _ = try bundle.number() // the mapper's check of the block, and its error
            count += traces.count
            bytes += traces.count * 512
        }
        var encoded: [UInt8] = []
        encoded.reserveCapacity(bytes)
        for bundle in bundles {
            guard TraceMapper.encode(bundle.traces!, format: format, to: &encoded) else { return false }
        }
        try writer.write(encoded: encoded, count: count)
        return true
    }
}
