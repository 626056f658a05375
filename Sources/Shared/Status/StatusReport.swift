// The `coordinator status` read-out: queue depth, progress over the planned span, paused kinds.

import Foundation

/// A snapshot of the queue for people (`render()`) and scripts (`Codable`).
public struct StatusReport: Sendable, Codable {
    public let depth: [QueueDepth]
    public let progress: ExportProgress
    public let pausedKinds: [String]
    public let deadJobs: [JobRecord]

    public init(depth: [QueueDepth], progress: ExportProgress, pausedKinds: [String], deadJobs: [JobRecord]) {
        self.depth = depth
        self.progress = progress
        self.pausedKinds = pausedKinds
        self.deadJobs = deadJobs
    }

    public static func load(from queue: JobQueue) async throws -> StatusReport {
        StatusReport(
            depth: try await queue.depth(),
            progress: try await queue.exportProgress(),
            pausedKinds: try await queue.pausedKinds().map(\.rawValue),
            deadJobs: try await queue.jobs(JobFilter(state: .dead, limit: 10))
        )
    }

    /// Count of jobs of `kind` in `state`.
    public func count(_ kind: JobKind, _ state: JobState) -> Int64 {
        depth.first { $0.kind == kind.rawValue && $0.state == state.rawValue }?.count ?? 0
    }

    /// No job is waiting or running (paused kinds aside): the fleet has nothing to do.
    public var isIdle: Bool {
        depth.allSatisfy { row in
            row.count == 0 || pausedKinds.contains(row.kind)
                || ![JobState.pending, .running, .retrying].map(\.rawValue).contains(row.state)
        }
    }

    /// The oldest wait of a ready job, over all kinds.
    public var oldestReadySeconds: Double { depth.map(\.oldestReadySeconds).max() ?? 0 }

    public func render() -> String {
        var lines: [String] = []
        let states = JobState.allCases
        let kinds = Array(Set(depth.map(\.kind))).sorted()
        let header = ["kind"] + states.map(\.rawValue)
        var rows: [[String]] = [header]
        for kind in kinds {
            rows.append([kind] + states.map { state in
                String(depth.first { $0.kind == kind && $0.state == state.rawValue }?.count ?? 0)
            })
        }
        if kinds.isEmpty {
            lines.append("no jobs; plan some with `coordinator plan --from A --to B --chunk-size N`")
        } else {
            lines.append(contentsOf: TextTable.render(rows))
        }
        lines.append("")
        if progress.plannedBlocks > 0 {
            let width = 40
            let filled = Int((progress.fraction * Double(width)).rounded(.down))
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            lines.append("export  \(bar) \(String(format: "%5.1f", progress.fraction * 100)) %  \(progress.exportedBlocks)/\(progress.plannedBlocks) blocks in \(progress.firstBlock)…\(progress.lastBlock)")
        }
        lines.append("oldest ready job waiting: \(String(format: "%.1f", oldestReadySeconds)) s")
        if !pausedKinds.isEmpty { lines.append("paused kinds: \(pausedKinds.joined(separator: ", "))") }
        if !deadJobs.isEmpty {
            lines.append("")
            lines.append("dead jobs (newest 10):")
            for job in deadJobs {
                lines.append("  #\(job.id) \(job.kind) \(job.firstBlock)-\(job.lastBlock) after \(job.attempts) attempts: \(job.lastError ?? "")")
            }
        }
        return lines.joined(separator: "\n")
    }
}

/// Left-aligned text columns separated by two spaces.
public enum TextTable {
    public static func render(_ rows: [[String]]) -> [String] {
        guard let columns = rows.map(\.count).max() else { return [] }
        let widths = (0..<columns).map { column in rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
    }
}
