// The `coordinator status` read-out: queue depth, progress over the planned span, paused kinds.

import Foundation

/// A snapshot of the queue for people (`render()`) and scripts (`Codable`).
public struct StatusReport: Sendable, Codable {
    public let depth: [QueueDepth]
    public let progress: ExportProgress
    public let pausedKinds: [String]
    public let deadJobs: [JobRecord]
    /// Exports finished over the last `rateWindow` (default 5 min), or since the work in it began
    /// when that is later.
    public let rate: ExportRate
    /// Workers not stopped and seen in the last 2 minutes; nil when not read.
    public let liveWorkers: Int?
    /// Highest block below which every planned export succeeded (-1: none).
    public let lastExportedBlock: Int64
    /// Parent-hash mismatches found by the reorg guard, in all, and the latest few.
    public let reorgCount: Int64
    public let recentReorgs: [ReorgRecord]
    /// Blocks exported per second over the rate window.
    public let blocksPerSecond: Double
    /// Seconds until the planned span is exported at that rate; nil when nothing moves.
    public let etaSeconds: Double?
    /// Why there is no ETA although blocks remain (`stalled: no live worker`, `paused: …`); nil
    /// when there is an ETA or nothing remains.
    public let stalledReason: String?
    /// Decoded tables: rows and skips per table over the ranges in the queue, and which tables
    /// wait on a ref() dependency (empty when nothing is decoded).
    public let decodedTables: [DecodedTableStatus]

    public init(
        depth: [QueueDepth], progress: ExportProgress, pausedKinds: [String], deadJobs: [JobRecord],
        rate: ExportRate = ExportRate(windowSeconds: 300, jobs: 0, blocks: 0), lastExportedBlock: Int64 = -1,
        reorgCount: Int64 = 0, recentReorgs: [ReorgRecord] = [], liveWorkers: Int? = nil, decodedTables: [DecodedTableStatus] = []
    ) {
        self.decodedTables = decodedTables
        self.depth = depth
        self.progress = progress
        self.pausedKinds = pausedKinds
        self.deadJobs = deadJobs
        self.rate = rate
        self.lastExportedBlock = lastExportedBlock
        self.reorgCount = reorgCount
        self.recentReorgs = recentReorgs
        self.liveWorkers = liveWorkers
        blocksPerSecond = rate.blocksPerSecond
        let remaining = progress.plannedBlocks - progress.exportedBlocks
        stalledReason = remaining <= 0 ? nil : Self.stalledReason(pausedKinds: pausedKinds, liveWorkers: liveWorkers, rate: rate)
        etaSeconds = remaining <= 0 ? 0 : (stalledReason == nil ? Double(remaining) / rate.blocksPerSecond : nil)
    }

    /// Why the remaining blocks are not moving, checked in this order: exports paused, no live
    /// worker, nothing finished yet, nothing finished within the rate window.
    static func stalledReason(pausedKinds: [String], liveWorkers: Int?, rate: ExportRate) -> String? {
        if pausedKinds.contains(JobKind.export.rawValue) { return "paused: export jobs are paused" }
        if liveWorkers == 0 { return "stalled: no live worker" }
        guard rate.blocks > 0 else {
            guard let since = rate.secondsSinceLastExport else { return "waiting: no export has finished yet" }
            return "stalled: no export finished in the last \(duration(since))"
        }
        return nil
    }

    public static func load(from queue: JobQueue, rateWindow: Duration = .seconds(300)) async throws -> StatusReport {
        StatusReport(
            depth: try await queue.depth(),
            progress: try await queue.exportProgress(),
            pausedKinds: try await queue.pausedKinds().map(\.rawValue),
            deadJobs: try await queue.jobs(JobFilter(state: .dead, limit: 10)),
            rate: try await queue.exportRate(over: rateWindow),
            lastExportedBlock: try await queue.lastContiguousExport(),
            reorgCount: try await queue.reorgCount(),
            recentReorgs: try await queue.recentReorgs(limit: 5),
            liveWorkers: try await queue.liveWorkerCount(),
            decodedTables: try await queue.decodedTables()
        )
    }

    /// `1h02m`, `4m05s`, `12s`.
    public static func duration(_ seconds: Double) -> String { CompactDuration.text(seconds) }

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
            let line = { (label: String, done: Int64) -> String in
                let fraction = progress.share(done)
                let filled = Int((fraction * Double(width)).rounded(.down))
                let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
                return "\(label)\(bar) \(String(format: "%5.1f", fraction * 100)) %  \(done)/\(progress.plannedBlocks) blocks"
            }
            lines.append(line("export  ", progress.exportedBlocks) + " in \(progress.firstBlock)…\(progress.lastBlock)")
            lines.append(line("load    ", progress.loadedBlocks))
            lines.append(line("model   ", progress.modelledBlocks))
        }
        let outlook = stalledReason ?? "ETA \(etaSeconds.map { Self.duration($0) } ?? "–")"
        lines.append("rate    \(String(format: "%.1f", rate.blocksPerSecond)) blocks/s, \(rate.jobs) jobs over the last \(Self.duration(rate.windowSeconds))  \(outlook)  last exported block \(lastExportedBlock)")
        lines.append("oldest ready job waiting: \(String(format: "%.1f", oldestReadySeconds)) s")
        if reorgCount > 0 {
            lines.append("reorg guard: \(reorgCount) parent-hash mismatches; latest:")
            for reorg in recentReorgs {
                lines.append("  block \(reorg.boundaryBlock): jobs #\(reorg.earlierJob) and #\(reorg.laterJob) re-exported (parent \(reorg.foundParent.prefix(12))…, expected \(reorg.expectedParent.prefix(12))…)")
            }
        }
        if !pausedKinds.isEmpty { lines.append("paused kinds: \(pausedKinds.joined(separator: ", "))") }
        if !decodedTables.isEmpty {
            lines.append("")
            var rows = [["decoded table", "rows", "skipped", "ranges", "waiting"]]
            for table in decodedTables {
                let waiting = table.waitingRanges == 0 ? "-"
                    : "\(table.waitingRanges) ranges from block \(table.firstWaitingBlock ?? 0): \(table.waitingReason ?? "")"
                rows.append([table.table, String(table.decoded), String(table.skipped), String(table.ranges), waiting])
            }
            lines.append(contentsOf: TextTable.render(rows))
        }
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
