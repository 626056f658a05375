// `coordinator cancel`: cancels jobs that have not succeeded.

import ArgumentParser
import Shared

struct Cancel: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Cancel jobs that have not succeeded; a running job's worker stops at its next heartbeat.")
    @OptionGroup var options: CommonOptions
    @Argument(help: "Job ids.") var ids: [Int64]
    @Flag(help: "Print the ids as JSON.") var json = false

    func run() async throws {
        let cancelled = try await withQueue(options) { queue, _ in try await queue.cancel(ids: ids) }
        if json {
            try printJSON(["cancelled": cancelled])
        } else {
            print("cancelled \(cancelled.count) jobs\(cancelled.isEmpty ? "" : ": " + cancelled.map(String.init).joined(separator: ", "))")
        }
        if cancelled.count < ids.count { throw ExitCode(3) }
    }
}
