// `coordinator workers`: the fleet's workers and what each holds.

import ArgumentParser
import Foundation
import Shared

struct Workers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Workers in the fleet: live, stale or stopped, and what each holds.")
    @OptionGroup var options: CommonOptions
    @Flag(help: "Print as JSON.") var json = false

    func run() async throws {
        let workers = try await withQueue(options) { queue, logger in try await WorkerRegistry(client: queue.client, logger: logger).list() }
        if json { try printJSON(workers); return }
        var rows = [["id", "state", "kinds", "holds", "done", "failed", "last seen"]]
        for worker in workers {
            let state = worker.state()
            rows.append([
                worker.id, state, worker.kinds, worker.currentJobs.map(String.init).joined(separator: ","),
                String(worker.jobsDone), String(worker.jobsFailed), String(format: "%.0f s ago", worker.secondsSinceSeen),
            ])
        }
        TextTable.render(rows).forEach { print($0) }
    }
}
