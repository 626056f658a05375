// Exporting a block range to one file per entity, streamed, checked, and published atomically.

import Foundation

/// Exports `[first, last]`: windows of blocks are fetched ahead (a bounded number in flight),
/// checked for consistency — within each window and across window edges — mapped, and streamed
/// to files in a hidden working folder. Only when the whole range has been written are the files
/// moved into the output folder; any failure deletes the working folder, so a failed attempt
/// leaves nothing behind and memory stays bounded by the windows in flight, not the range.
public struct RangeExporter: Sendable {
    public let fetcher: BlockFetcher
    public let mapper: ExportMapper
    /// Blocks fetched per window. Default 20: a window's answers (~225 KB a block at 100
    /// transactions) are read and then written from memory, and four windows of 20 stay in the
    /// CPU's cache where 50 did not (measured: ~15 % less CPU a block, half the peak memory).
    public var windowSize: Int
    /// Windows fetched at once. Default 4.
    public var windowsInFlight: Int
    /// Deflate level of gzip output, 1–9. Default 1, ISA-L's igzip: on export CSV (mostly hex) it
    /// is faster than zlib's 1 and smaller than zlib's 9; 2–9 are zlib's (`GzipFileSink`,
    /// `BLOCKFLEET_STAGING_GZIP_LEVEL`).
    public var gzipLevel: Int32 = 1
    /// Write CSV or JSON lines of blocks, transactions, receipts, logs and token transfers straight
    /// from the response bytes (`CSVTranscoder`) — the same bytes as the decoding path, several
    /// times faster. Default true; false forces the decoding path (tests compare the two).
    public var transcodes = true
    /// Flush each file to disk (fsync) before moving it into the output folder. Default false:
    /// a queue job's files are scratch — staged, then deleted, and re-exported if the worker dies —
    /// and file:// staging flushes its own copies; the flush made an export wait on the disk for
    /// every byte it wrote (~7 % of the one-process export's time). `worker export --fsync`.
    public var flushesFiles = false
    /// Called after each window is written, with the blocks written so far (in block order), for
    /// `worker export`'s progress line. Default nil.
    public var progress: (@Sendable (_ blocksWritten: UInt64) -> Void)?

    public init(fetcher: BlockFetcher, mapper: ExportMapper = .standard, windowSize: Int = 20, windowsInFlight: Int = 4) {
        self.fetcher = fetcher
        self.mapper = mapper
        self.windowSize = max(1, windowSize)
        self.windowsInFlight = max(1, windowsInFlight)
    }

    public func export(
        _ range: ClosedRange<UInt64>,
        entities: [ExportEntity],
        format: RowFormat,
        gzip: Bool = false,
        to directory: URL,
        lake: URL? = nil
    ) async throws -> ExportSummary {
        for entity in entities where !mapper.entities.contains(entity) {
            throw ExportError(.unsupportedEntity, "exporting \(entity.rawValue) is not supported yet")
        }
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: directory, withIntermediateDirectories: true)
        let work = directory.appendingPathComponent(".partial-\(UUID().uuidString)")
        try fileManager.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? fileManager.removeItem(at: work) }

        let outputs = try entities.map { entity in
            try EntityOutput(entity: entity, in: work, format: format, gzip: gzip, gzipLevel: gzipLevel, flushesFiles: flushesFiles)
        }
        defer { for output in outputs { output.close() } }
        // The lake's Parquet files, from the same rows: every window takes the decoding path.
        let lakeWriter = try lake.map { try LakePartitionWriter(folder: $0) }

        let needs = BlockFetcher.Needs(entities: entities)
        let windows = stride(from: range.lowerBound, through: range.upperBound, by: windowSize).map {
            $0...min($0 + UInt64(windowSize) - 1, range.upperBound)
        }
        // The transcoder writes the entities it knows; traces, contracts and tokens asked for with
        // them come from the decoding path for the same window (header-only blocks and traces).
        let transcodable = entities.filter(CSVTranscoder.entities.contains)
        let alongside = entities.filter { !CSVTranscoder.entities.contains($0) }
        let transcodedWriters = outputs.filter { transcodable.contains($0.entity) }.compactMap { $0.writer as? any EncodedRowWriter }
        let alongsideOutputs = outputs.filter { alongside.contains($0.entity) }
        let transcoding = transcodes && lakeWriter == nil && CSVTranscoder.handles(transcodable, format: format) && transcodedWriters.count == transcodable.count
            ? WindowTranscoding(entities: transcodable, format: format, logger: fetcher.pool.logger) : nil
        // Trace rows straight into bytes, like the transcoder's entities (and off with it, so
        // tests can compare the two).
        let encodesTraces = transcodes && lakeWriter == nil && format.isLines && mapper.mapsTracesAsStandard
        let transcodedNeeds = BlockFetcher.Needs(entities: transcodable)
        let alongsideNeeds = alongside.isEmpty ? nil : BlockFetcher.Needs(entities: alongside)
        var firstParentHash: String?
        var previousHash: String?
        /// Checks that a window's first block follows the previous window's last one.
        func link(first: UInt64, parentHash: String, lastHash: String) throws(ExportError) {
            if let previousHash, !parentHash.equalsIgnoringASCIICase(previousHash) {
                throw ExportError(.parentHashMismatch, block: first, field: "parentHash",
                                  "parentHash \(parentHash) is not the hash \(previousHash) of block \(first - 1)")
            }
            if firstParentHash == nil { firstParentHash = parentHash }
            previousHash = lastHash
        }
        try await withThrowingTaskGroup(of: (Int, FetchedWindow).self) { group in
            var next = 0
            var ready: [Int: FetchedWindow] = [:]
            var written = 0
            func launch() {
                guard next < windows.count else { return }
                let index = next
                let window = windows[index]
                group.addTask {
                    if let transcoding, let transcoded = try await transcoding.transcode(window, fetcher: fetcher, needs: transcodedNeeds) {
                        var bundles: [BlockBundle] = []
                        if let alongsideNeeds { bundles = try await fetcher.fetch(window, needs: alongsideNeeds) }
                        return (index, .transcoded(transcoded, alongside: bundles))
                    }
                    return (index, .bundles(try await fetcher.fetch(window, needs: needs)))
                }
                next += 1
            }
            for _ in 0..<windowsInFlight { launch() }
            while written < windows.count {
                guard let (index, fetched) = try await group.next() else { break }
                ready[index] = fetched
                // Write windows in block order as they become available.
                while let fetched = ready.removeValue(forKey: written) {
                    let window = windows[written]
                    switch fetched {
                    case .transcoded(let transcoded, let bundles):
                        // Checked inside the window by the transcoder; linked to the previous one here.
                        try link(first: window.lowerBound, parentHash: transcoded.firstParentHash, lastHash: transcoded.lastHash)
                        if !bundles.isEmpty {
                            try RangeConsistency.check(bundles, first: window.lowerBound, last: window.upperBound)
                            try Self.agree(bundles, with: transcoded, window: window)
                        }
                        for (writer, file) in zip(transcodedWriters, transcoded.files) {
                            try writer.write(encoded: file.rows, count: file.count)
                        }
                        try writeRows(of: bundles, to: alongsideOutputs, format: format, encodingTraces: encodesTraces)
                    case .bundles(let bundles):
                        try RangeConsistency.check(bundles, first: window.lowerBound, last: window.upperBound)
                        if let first = bundles.first?.block, let last = bundles.last?.block {
                            try link(first: window.lowerBound, parentHash: first.parentHash, lastHash: last.hash)
                        }
                        guard let lakeWriter else {
                            try writeRows(of: bundles, to: outputs, format: format, encodingTraces: encodesTraces)
                            break
                        }
                        for bundle in bundles {
                            let lakeBlock = try Self.blockTime(bundle)
                            for output in outputs {
                                let rows = try mapper.rows(output.entity, from: bundle)
                                try output.writer.write(contentsOf: rows)
                                try lakeWriter.write(rows, entity: output.entity, block: lakeBlock.number, timestamp: lakeBlock.timestamp)
                            }
                        }
                    }
                    written += 1
                    progress?(window.upperBound - range.lowerBound + 1)
                    launch()
                }
            }
        }

        var files: [ExportSummary.File] = []
        for output in outputs {
            let staged = try output.finish()
            let destination = directory.appendingPathComponent(output.url.lastPathComponent)
            if fileManager.fileExists(atPath: destination.path) { try fileManager.removeItem(at: destination) }
            try fileManager.moveItem(at: output.url, to: destination)
            files.append(.init(
                entity: output.entity.rawValue, path: destination.path, rows: output.writer.rowCount, bytes: output.writer.byteCount,
                compressedBytes: staged?.bytes, sha256: staged?.sha256
            ))
        }
        return ExportSummary(
            firstBlock: range.lowerBound, lastBlock: range.upperBound,
            firstParentHash: firstParentHash ?? "", lastHash: previousHash ?? "", files: files,
            windows: windows.count, transcodedWindows: transcoding?.transcodedWindows ?? 0,
            lakeFiles: try lakeWriter?.finish()
        )
    }
}

extension RangeExporter {
    /// Writes the rows of `bundles` (a window, in block order) to each output; with
    /// `encodingTraces`, trace rows go straight into the writer's format (`TraceMapper.encode`),
    /// the same bytes as the mapped rows.
    func writeRows(of bundles: [BlockBundle], to outputs: [EntityOutput], format: RowFormat, encodingTraces: Bool) throws {
        let encoded = encodingTraces ? outputs.first { $0.entity == .traces && $0.writer is any EncodedRowWriter } : nil
        // Block by block, as the lake's path writes them (so the first failing block fails first).
        for bundle in bundles {
            for output in outputs where output !== encoded {
                try output.writer.write(contentsOf: try mapper.rows(output.entity, from: bundle))
            }
        }
        guard let encoded, let writer = encoded.writer as? any EncodedRowWriter else { return }
        if try writeEncodedTraces(of: bundles, to: writer, format: format) { return }
        for bundle in bundles {
            try writer.write(contentsOf: try mapper.rows(.traces, from: bundle))
        }
    }

    /// The window's trace rows encoded at once; false (nothing written) when a block has no
    /// traces fetched or the format is not encoded, for the mapper to report or write.
    private func writeEncodedTraces(of bundles: [BlockBundle], to writer: any EncodedRowWriter, format: RowFormat) throws -> Bool {
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

    /// A block's number and unix time, which place its rows in the lake's date partitions.
    static func blockTime(_ bundle: BlockBundle) throws(ExportError) -> (number: UInt64, timestamp: Int64) {
        let number = try bundle.number()
        guard let timestamp = HexText.uint64(bundle.block.timestamp), timestamp <= UInt64(Int64.max) else {
            throw ExportError(.malformedHex, block: number, field: "timestamp", "'\(bundle.block.timestamp)' is not a hex quantity")
        }
        return (number, Int64(timestamp))
    }

    /// The transcoded window and the bundles fetched alongside it (each chain-checked on its own)
    /// must be the same blocks: the same parent before the first and the same last hash, which
    /// the hash chain extends to every block between. Else a reorg or a replica on another fork
    /// came between the two fetches, and the attempt fails (retryable) rather than mixing forks.
    static func agree(_ bundles: [BlockBundle], with transcoded: TranscodedWindow, window: ClosedRange<UInt64>) throws(ExportError) {
        if let first = bundles.first?.block, !first.parentHash.equalsIgnoringASCIICase(transcoded.firstParentHash) {
            throw ExportError(.parentHashMismatch, block: window.lowerBound, field: "parentHash",
                              "block \(window.lowerBound) has parentHash \(first.parentHash) in one answer and \(transcoded.firstParentHash) in another")
        }
        if let last = bundles.last?.block, !last.hash.equalsIgnoringASCIICase(transcoded.lastHash) {
            throw ExportError(.blockHashMismatch, block: window.upperBound, field: "hash",
                              "block \(window.upperBound) has hash \(last.hash) in one answer and \(transcoded.lastHash) in another")
        }
    }
}

/// A fetched window: rows already written as CSV by the transcoder (with the decoded bundles of
/// any other entities), or decoded bundles to map.
private enum FetchedWindow: Sendable {
    case transcoded(TranscodedWindow, alongside: [BlockBundle])
    case bundles([BlockBundle])
}
