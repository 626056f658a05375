// The worker's runner for `export` jobs: one job's block range to one folder of files.

import Foundation

/// Runs export jobs: the job's range and entity set go through `RangeExporter` into
/// `{outputRoot}/{first:010}-{last:010}/`. Staging to S3 and load follow-ups come with the
/// staging work; until then the files stay in the local folder.
public struct ExportJobRunner: JobRunner {
    public let exporter: RangeExporter
    public let outputRoot: URL
    public let format: RowFormat

    public init(exporter: RangeExporter, outputRoot: URL, format: RowFormat = .csv) {
        self.exporter = exporter
        self.outputRoot = outputRoot
        self.format = format
    }

    public func run(_ job: ClaimedJob) async throws -> JobOutcome {
        let entities: [ExportEntity]
        do {
            entities = try ExportEntity.parseList(job.entities)
        } catch {
            throw JobError(.invalidJob, "job \(job.id): \(error)")
        }
        guard job.firstBlock >= 0, job.lastBlock >= job.firstBlock else {
            throw JobError(.invalidJob, "job \(job.id): bad range \(job.firstBlock)-\(job.lastBlock)")
        }
        let folder = outputRoot.appendingPathComponent(ExportJobRunner.folderName(first: job.firstBlock, last: job.lastBlock))
        let summary = try await exporter.export(
            UInt64(job.firstBlock)...UInt64(job.lastBlock), entities: entities, format: format, to: folder
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return JobOutcome(result: String(decoding: try encoder.encode(summary), as: UTF8.self))
    }

    /// `0000000000-0000000099`: sorts by block, as the staging keys will.
    public static func folderName(first: Int64, last: Int64) -> String {
        func padded(_ value: Int64) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, 10 - text.count)) + text
        }
        return "\(padded(first))-\(padded(last))"
    }
}
