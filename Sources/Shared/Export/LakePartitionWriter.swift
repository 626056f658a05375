// Writes an exported range's rows to Parquet files per entity and UTC block date, for the lake.

import Foundation

/// Beside the staged files, the same rows go to one Parquet file per entity and UTC date of
/// their block, in a local folder, until the job publishes them to the lake. Blocks come in
/// order, so an entity has one open file at a time: a new date finishes the previous date's file.
/// Every date of the range gets a file per entity, with zero rows if need be, so each file
/// covers its blocks completely.
final class LakePartitionWriter {
    private struct Open {
        let date: BlockDate
        let first: UInt64
        var last: UInt64
        let url: URL
        let writer: ParquetRowWriter
    }

    private let folder: URL
    private var open: [ExportEntity: Open] = [:]
    private(set) var files: [ExportSummary.LakeFile] = []

    init(folder: URL) throws {
        self.folder = folder
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    /// The rows of `entity` from block `number`, of unix time `timestamp` (possibly none).
    func write(_ rows: [ExportRow], entity: ExportEntity, block number: UInt64, timestamp: Int64) throws {
        try writer(entity, through: number, date: BlockDate(timestamp: timestamp)).write(contentsOf: rows)
    }

    /// The transcoder's cells of `entity` for the window of blocks from `first`, whose unix times
    /// are `timestamps`: split where the UTC date changes, as `write(_:entity:block:timestamp:)`
    /// block by block would.
    func write(_ cells: ParquetCells, entity: ExportEntity, first: UInt64, timestamps: [Int64]) throws {
        var start = 0
        while start < timestamps.count {
            let date = BlockDate(timestamp: timestamps[start])
            var end = start + 1
            while end < timestamps.count, BlockDate(timestamp: timestamps[end]) == date { end += 1 }
            let rows = cells.rows(ofBlock: start).lowerBound..<cells.rows(ofBlock: end - 1).upperBound
            try writer(entity, through: first + UInt64(end - 1), date: date, from: first + UInt64(start)).write(cells, rows: rows)
            start = end
        }
    }

    /// The open writer of `entity` for `date`, extended to block `last`; a new date finishes the
    /// previous date's file and starts one at block `from` (default `last`).
    private func writer(_ entity: ExportEntity, through last: UInt64, date: BlockDate, from first: UInt64? = nil) throws -> ParquetRowWriter {
        if var current = open[entity], current.date == date {
            current.last = last
            open[entity] = current
            return current.writer
        }
        try close(entity)
        let first = first ?? last
        let url = folder.appendingPathComponent("\(entity.rawValue)-\(date)-\(first).parquet")
        let output: ParquetFileOutput
        do { output = try ParquetFileOutput(path: url.path) } catch { throw ExportError(.writeFailed, "\(error)") }
        let writer = try ParquetRowWriter(.of(entity), output: output)
        open[entity] = Open(date: date, first: first, last: last, url: url, writer: writer)
        return writer
    }

    /// Finishes every open file; returns all files written, in the order they were finished.
    func finish() throws -> [ExportSummary.LakeFile] {
        for entity in ExportEntity.allCases { try close(entity) }
        return files
    }

    private func close(_ entity: ExportEntity) throws {
        guard let current = open.removeValue(forKey: entity) else { return }
        try current.writer.finish()
        files.append(ExportSummary.LakeFile(
            entity: entity.rawValue, blockDate: current.date.description, firstBlock: current.first, lastBlock: current.last,
            path: current.url.path, rows: current.writer.rowCount, bytes: current.writer.byteCount
        ))
    }
}
