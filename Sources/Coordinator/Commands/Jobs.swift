// `coordinator jobs`: lists jobs, filtered.

import ArgumentParser
import Shared

struct Jobs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List jobs, filtered.")
    @OptionGroup var options: CommonOptions
    @Option(help: "pending, running, retrying, succeeded, dead or cancelled.") var state: String?
    @Option(help: "Job kind.") var kind: String?
    @Option(help: "Jobs whose range contains this block.") var block: Int64?
    @Option(help: "Jobs held (or last held) by this worker id.") var worker: String?
    @Option(help: "At most this many.") var limit: Int = 50
    @Flag(help: "Print as JSON.") var json = false

    func run() async throws {
        var filter = JobFilter(block: block, worker: worker, limit: limit)
        if let state {
            guard let parsed = JobState(rawValue: state) else {
                throw ValidationError("--state '\(state)' is not one of \(JobState.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            filter.state = parsed
        }
        if let kind { filter.kind = JobKind(rawValue: kind) }
        guard limit > 0 else { throw ValidationError("--limit must be greater than 0") }
        let jobs = try await withQueue(options) { [filter] queue, _ in try await queue.jobs(filter) }
        if json { try printJSON(jobs); return }
        var rows = [["id", "kind", "state", "blocks", "attempts", "owner", "last error"]]
        for job in jobs {
            rows.append([
                String(job.id), job.kind, job.state, "\(job.firstBlock)-\(job.lastBlock)", "\(job.attempts)/\(job.maxAttempts)",
                job.leaseOwner ?? "", String((job.lastError ?? "").prefix(80)),
            ])
        }
        TextTable.render(rows).forEach { print($0) }
    }
}
