// The coordinator's status page: plain HTML and inline SVG rendered on the server, refreshing itself.

import Foundation

/// Everything the page shows, read in one go.
public struct StatusPage: Sendable {
    public let report: StatusReport
    public let segments: [ExportSegment]
    public let workers: [WorkerRecord]
    public let chainTip: ChainTip?
    public let refreshSeconds: Int

    public init(report: StatusReport, segments: [ExportSegment], workers: [WorkerRecord], chainTip: ChainTip?, refreshSeconds: Int = 5) {
        self.report = report
        self.segments = segments
        self.workers = workers
        self.chainTip = chainTip
        self.refreshSeconds = refreshSeconds
    }

    public static func load(from queue: JobQueue, registry: WorkerRegistry, chainTip: ChainTip?) async throws -> StatusPage {
        StatusPage(
            report: try await StatusReport.load(from: queue),
            segments: try await queue.exportSegments(),
            workers: try await registry.list(),
            chainTip: chainTip
        )
    }

    static let colors = ["succeeded": "#2e9e44", "running": "#2f6fde", "pending": "#b9bec7", "dead": "#d23b3b", "cancelled": "#6b4f2a"]
    static let width = 1000.0

    public func render() -> String {
        var html = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <meta http-equiv="refresh" content="\(refreshSeconds)">
        <title>BlockFleet status</title>
        <style>
        body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1d2127;background:#fafbfc}
        h1{font-size:20px;margin:0 0 12px} h2{font-size:16px;margin:24px 0 8px}
        table{border-collapse:collapse} td,th{padding:3px 10px;border-bottom:1px solid #e3e6ea;text-align:left}
        td.n{text-align:right;font-variant-numeric:tabular-nums} .legend span{display:inline-block;margin-right:14px}
        .legend i{display:inline-block;width:10px;height:10px;margin-right:4px;vertical-align:middle}
        .figures div{display:inline-block;margin-right:28px} .figures b{display:block;font-size:20px}
        .warn{color:#d23b3b}
        </style></head><body>
        <h1>BlockFleet</h1>

        """
        let progress = report.progress
        let eta = report.stalledReason ?? report.etaSeconds.map { StatusReport.duration($0) } ?? "–"
        html += "<section class=\"figures\" id=\"figures\">"
        html += figure("progress", String(format: "%.1f %%", progress.fraction * 100), "\(progress.exportedBlocks) of \(progress.plannedBlocks) blocks")
        html += figure("loaded", String(format: "%.1f %%", progress.share(progress.loadedBlocks) * 100), "\(progress.loadedBlocks) blocks in the warehouse")
        html += figure("modelled", String(format: "%.1f %%", progress.share(progress.modelledBlocks) * 100), "\(progress.modelledBlocks) blocks verified and modelled")
        html += figure("rate", String(format: "%.1f", report.rate.blocksPerSecond), "blocks/s (last \(StatusReport.duration(report.rate.windowSeconds)))")
        html += figure("eta", eta, report.stalledReason == nil ? "to the end of the planned span" : "no ETA while nothing moves")
        html += figure("last-exported", "\(report.lastExportedBlock)", "last exported block")
        if let chainTip {
            html += figure("head", "\(chainTip.head)", "chain head (plan to \(chainTip.target))")
            html += figure("lag", "\(chainTip.lag(after: report.lastExportedBlock))", "blocks behind the head")
        }
        html += figure("dead", "\(report.count(.export, .dead) + report.count(.load, .dead))", "dead jobs")
        html += "</section>\n"

        html += "<h2>Export progress over blocks \(progress.firstBlock)…\(progress.lastBlock)</h2>\n"
        html += progressSVG()
        html += "<div class=\"legend\">" + ["succeeded", "running", "pending", "dead", "cancelled"].map {
            "<span><i style=\"background:\(Self.colors[$0]!)\"></i>\($0)</span>"
        }.joined() + "</div>\n"

        html += "<h2>Queue</h2>\n<table id=\"queue\"><tr><th>kind</th>" + JobState.allCases.map { "<th>\($0.rawValue)</th>" }.joined() + "<th>oldest ready</th></tr>\n"
        for kind in Set(report.depth.map(\.kind)).sorted() {
            let paused = report.pausedKinds.contains(kind) ? " <span class=\"warn\">(paused)</span>" : ""
            html += "<tr data-kind=\"\(escape(kind))\"><td>\(escape(kind))\(paused)</td>"
            html += JobState.allCases.map { state in
                "<td class=\"n\" data-state=\"\(state.rawValue)\">\(report.depth.first { $0.kind == kind && $0.state == state.rawValue }?.count ?? 0)</td>"
            }.joined()
            let oldest = report.depth.filter { $0.kind == kind }.map(\.oldestReadySeconds).max() ?? 0
            html += "<td class=\"n\">\(StatusReport.duration(oldest))</td></tr>\n"
        }
        html += "</table>\n"

        html += "<h2>Workers</h2>\n<table id=\"workers\"><tr><th>id</th><th>state</th><th>kinds</th><th>holds</th><th>done</th><th>failed</th><th>last seen</th></tr>\n"
        for worker in workers {
            html += "<tr class=\"worker \(worker.state())\"><td>\(escape(worker.id))</td><td>\(worker.state())</td><td>\(escape(worker.kinds))</td>"
            html += "<td>\(worker.currentJobs.map(String.init).joined(separator: ", "))</td><td class=\"n\">\(worker.jobsDone)</td><td class=\"n\">\(worker.jobsFailed)</td>"
            html += "<td class=\"n\">\(StatusReport.duration(worker.secondsSinceSeen)) ago</td></tr>\n"
        }
        html += "</table>\n"

        if report.reorgCount > 0 {
            html += "<h2 class=\"warn\">Reorg guard: \(report.reorgCount) parent-hash mismatches</h2>\n<table id=\"reorgs\"><tr><th>block</th><th>jobs re-exported</th><th>found parent</th><th>expected</th></tr>\n"
            for reorg in report.recentReorgs {
                html += "<tr><td>\(reorg.boundaryBlock)</td><td>#\(reorg.earlierJob), #\(reorg.laterJob)</td><td>\(escape(reorg.foundParent))</td><td>\(escape(reorg.expectedParent))</td></tr>\n"
            }
            html += "</table>\n"
        }

        if !report.decodedTables.isEmpty {
            html += "<h2>Decoded tables</h2>\n<table id=\"decoded-tables\"><tr><th>table</th><th>rows</th><th>skipped</th><th>ranges</th><th>waiting</th></tr>\n"
            for table in report.decodedTables {
                let waiting = table.waitingRanges == 0 ? "–"
                    : "\(table.waitingRanges) ranges from block \(table.firstWaitingBlock ?? 0): \(table.waitingReason ?? "")"
                html += "<tr class=\"decoded-table\(table.waitingRanges > 0 ? " waiting" : "")\" data-table=\"\(escape(table.table))\"><td>\(escape(table.table))</td>"
                html += "<td class=\"n\">\(table.decoded)</td><td class=\"n\">\(table.skipped)</td><td class=\"n\">\(table.ranges)</td>"
                html += "<td\(table.waitingRanges > 0 ? " class=\"warn\"" : "")>\(escape(waiting))</td></tr>\n"
            }
            html += "</table>\n"
        }

        html += "<h2>Dead jobs</h2>\n<table id=\"dead-jobs\"><tr><th>id</th><th>kind</th><th>blocks</th><th>attempts</th><th>last error</th></tr>\n"
        for job in report.deadJobs {
            html += "<tr class=\"dead-job\"><td>\(job.id)</td><td>\(escape(job.kind))</td><td>\(job.firstBlock)–\(job.lastBlock)</td><td class=\"n\">\(job.attempts)</td><td>\(escape(String((job.lastError ?? "").prefix(300))))</td></tr>\n"
        }
        html += "</table>\n<p><small>Refreshes every \(refreshSeconds) s · <a href=\"/metrics\">/metrics</a> · generated \(Date().formatted(.iso8601))</small></p>\n</body></html>\n"
        return html
    }

    private func figure(_ id: String, _ value: String, _ caption: String) -> String {
        "<div id=\"\(id)\"><b>\(escape(value))</b>\(escape(caption))</div>"
    }

    /// One rectangle per run of a state; with more runs than pixels, one column per pixel showing
    /// the most urgent state in it (dead, running, pending, cancelled, succeeded).
    func progressSVG() -> String {
        let first = report.progress.firstBlock, last = report.progress.lastBlock
        var svg = "<svg id=\"progress\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(Self.width))\" height=\"36\" viewBox=\"0 0 \(Int(Self.width)) 36\" role=\"img\" aria-label=\"export progress\">"
        svg += "<rect x=\"0\" y=\"0\" width=\"\(Int(Self.width))\" height=\"36\" fill=\"#eef0f3\"/>"
        guard last >= first, !segments.isEmpty else { return svg + "</svg>\n" }
        let span = Double(last - first + 1)
        func x(_ block: Int64) -> Double { Double(block - first) / span * Self.width }
        if segments.count <= 2000 {
            for segment in segments {
                let start = x(segment.firstBlock), end = x(segment.lastBlock + 1)
                svg += "<rect class=\"segment \(segment.state)\" data-first=\"\(segment.firstBlock)\" data-last=\"\(segment.lastBlock)\" x=\(attr(start)) y=\"0\" width=\(attr(max(end - start, 0.5))) height=\"36\" fill=\"\(Self.colors[segment.state] ?? "#999")\"><title>\(segment.firstBlock)–\(segment.lastBlock) \(segment.state)</title></rect>"
            }
        } else {
            let urgency = ["dead": 4, "running": 3, "pending": 2, "cancelled": 1, "succeeded": 0]
            var columns = [String?](repeating: nil, count: Int(Self.width))
            for segment in segments {
                let from = min(Int(x(segment.firstBlock)), columns.count - 1), to = min(Int(x(segment.lastBlock)), columns.count - 1)
                for column in from...max(from, to) where (urgency[columns[column] ?? ""] ?? -1) < (urgency[segment.state] ?? 0) {
                    columns[column] = segment.state
                }
            }
            for (column, state) in columns.enumerated() {
                guard let state else { continue }
                svg += "<rect class=\"segment \(state)\" x=\"\(column)\" y=\"0\" width=\"1\" height=\"36\" fill=\"\(Self.colors[state] ?? "#999")\"/>"
            }
        }
        return svg + "</svg>\n"
    }

    private func attr(_ value: Double) -> String { "\"\(String(format: "%.2f", value))\"" }

    func escape(_ text: String) -> String { text.markupEscaped }
}
