// `coordinator requeue`: forces re-export of a block span.

import ArgumentParser
import Shared

struct Requeue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Force re-export of a block span: every export job touching it goes back to pending (running ones are fenced off).")
    @OptionGroup var options: CommonOptions
    @Option(help: "First block.") var from: Int64
    @Option(help: "Last block (inclusive).") var to: Int64
    @Flag(help: "Print the ids as JSON.") var json = false

    func validate() throws {
        guard from >= 0, from <= to else { throw ValidationError("--from must be ≥ 0 and not greater than --to") }
    }

    func run() async throws {
        let (from, to) = (from, to)
        let ids = try await withQueue(options) { queue, _ in try await queue.requeueExports(from...to) }
        if json {
            try printJSON(["requeued": ids])
        } else {
            print("requeued \(ids.count) export jobs over blocks \(from)…\(to)")
        }
        if ids.isEmpty { throw ExitCode(3) }
    }
}
