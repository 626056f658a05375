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
        let date = BlockDate(timestamp: timestamp)
        if var current = open[entity], current.date == date {
            current.last = number
            open[entity] = current
        } else {
            try close(entity)
            let url = folder.appendingPathComponent("\(entity.rawValue)-\(date)-\(number).parquet")
            let output: ParquetFileOutput
            do { output = try ParquetFileOutput(path: url.path) } catch { throw ExportError(.writeFailed, "\(error)") }
            open[entity] = Open(date: date, first: number, last: number, url: url, writer: try ParquetRowWriter(.of(entity), output: output))
        }
        try open[entity]!.writer.write(contentsOf: rows)
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
