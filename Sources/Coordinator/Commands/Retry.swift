// `coordinator retry`: dead, cancelled or backing-off jobs back to pending.

import ArgumentParser
import Shared

struct Retry: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Put dead, cancelled or backing-off jobs back to pending with fresh attempts.")
    @OptionGroup var options: CommonOptions
    @Argument(help: "Job ids.") var ids: [Int64] = []
    @Flag(name: .customLong("all-dead"), help: "Retry every dead job.") var allDead = false
    @Flag(help: "Print the ids as JSON.") var json = false

    func validate() throws {
        if ids.isEmpty && !allDead { throw ValidationError("name job ids or pass --all-dead") }
    }

    func run() async throws {
        let requeued = try await withQueue(options) { queue, _ in try await queue.retry(ids: ids, allDead: allDead) }
        if json {
            try printJSON(["requeued": requeued])
        } else {
            print("requeued \(requeued.count) jobs\(requeued.isEmpty ? "" : ": " + requeued.map(String.init).joined(separator: ", "))")
        }
        if requeued.isEmpty && !ids.isEmpty { throw ExitCode(3) }
    }
}
