// `coordinator reap`: one reaper pass now.

import ArgumentParser
import Shared

struct Reap: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run one reaper pass now: expired leases back to pending (or dead).")
    @OptionGroup var options: CommonOptions

    @Flag(help: "Print the reaped job ids as JSON.") var json = false

    func run() async throws {
        let reaped = try await withQueue(options) { queue, _ in try await queue.reapExpiredLeases() }
        if json { try printJSON(["reaped": reaped.map(\.id)]) } else { print("reaped \(reaped.count) expired leases") }
    }
}
