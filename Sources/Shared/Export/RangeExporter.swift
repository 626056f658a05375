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
    /// Write CSV, JSON lines or Parquet (and the lake's Parquet) of blocks, transactions, receipts,
    /// logs and token transfers straight from the response bytes (`CSVTranscoder`) — the same
    /// bytes (Parquet: the same values) as the decoding path, several times faster. Default true;
    /// false forces the decoding path (tests compare the two).
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
        // The lake's Parquet files, from the same fetch: the transcoder's cells, or the decoded rows.
        let lakeWriter = try lake.map { try LakePartitionWriter(folder: $0) }

        let needs = BlockFetcher.Needs(entities: entities)
        let windows = stride(from: range.lowerBound, through: range.upperBound, by: windowSize).map {
            $0...min($0 + UInt64(windowSize) - 1, range.upperBound)
        }
        // The transcoder writes the entities it knows; traces, contracts and tokens asked for with
        // them come from the decoding path for the same window (header-only blocks and traces).
        let transcodable = entities.filter(CSVTranscoder.entities.contains)
        let alongside = entities.filter { !CSVTranscoder.entities.contains($0) }
        let transcodedOutputs = outputs.filter { transcodable.contains($0.entity) }
        let transcodedWriters = transcodedOutputs.compactMap { $0.writer as? any EncodedRowWriter }
        let transcodedParquet = transcodedOutputs.compactMap { $0.writer as? ParquetRowWriter }
        let alongsideOutputs = outputs.filter { alongside.contains($0.entity) }
        let writersTakeTranscoded = (format.isLines ? transcodedWriters.count : transcodedParquet.count) == transcodable.count
        let transcoding = transcodes && CSVTranscoder.handles(transcodable, format: format) && writersTakeTranscoded
            ? WindowTranscoding(entities: transcodable, format: format, lake: lakeWriter != nil, logger: fetcher.pool.logger) : nil
        // Trace rows straight into bytes, like the transcoder's entities (and off with it, so
        // tests can compare the two).
        let encodesTraces = transcodes && lakeWriter == nil && format.isLines && mapper.mapsTracesAsStandard
        // ... written from the trace answers' bytes when the writer takes encoded rows (`TraceTranscoder`).
        let traceFormat = encodesTraces && outputs.contains { $0.entity == .traces && $0.writer is any EncodedRowWriter } ? format : nil
        let transcodedNeeds = BlockFetcher.Needs(entities: transcodable)
        let alongsideNeeds = alongside.isEmpty ? nil : BlockFetcher.Needs(entities: alongside)
        // Writing happens outside the task group's closure, in a synchronous method: inline
        // there, the window writes crashed the release compiler (Swift 6.3, LLVM's coroutine
        // splitting of that async closure).
        let windowWriter = ExportWindowWriter(
            outputs: outputs, encoded: format.isLines ? transcodedWriters : [], parquet: format.isLines ? [] : transcodedParquet,
            transcodable: transcodable, alongside: alongsideOutputs, lake: lakeWriter, mapper: mapper,
            format: format, encodesTraces: encodesTraces
        )
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
                        guard let alongsideNeeds else { return (index, .transcoded(transcoded, alongside: [], traces: nil)) }
                        let alongside = try await fetcher.fetch(window, needs: alongsideNeeds, encodingTraces: traceFormat)
                        return (index, .transcoded(transcoded, alongside: alongside.bundles, traces: alongside.traces))
                    }
                    let fetched = try await fetcher.fetch(window, needs: needs, encodingTraces: traceFormat)
                    return (index, .bundles(fetched.bundles, traces: fetched.traces))
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
                    try windowWriter.write(fetched, window: window)
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
            firstParentHash: windowWriter.firstParentHash ?? "", lastHash: windowWriter.previousHash ?? "", files: files,
            windows: windows.count, transcodedWindows: transcoding?.transcodedWindows ?? 0,
            traceTranscodedWindows: entities.contains(.traces) ? windowWriter.encodedTraceWindows : nil,
            lakeFiles: try lakeWriter?.finish()
        )
    }
}

extension RangeExporter {
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
/// any other entities), or decoded bundles to map; either with its trace rows already written
/// (`TraceTranscoder`), the bundles then without `traces`.
enum FetchedWindow: Sendable {
    case transcoded(TranscodedWindow, alongside: [BlockBundle], traces: EncodedTraces?)
    case bundles([BlockBundle], traces: EncodedTraces?)
}
