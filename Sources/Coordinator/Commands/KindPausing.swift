// What `pause` and `resume` share: the same arguments and output, one switch apart.

import ArgumentParser
import Foundation
import Shared

/// The kinds to pause or resume, and how to report the kinds paused afterwards.
struct KindPausing: ParsableArguments {
    @OptionGroup var options: CommonOptions
    @Argument(help: "Job kind (or a comma-separated list).") var kind: String
    @Flag(help: "Print the kinds paused afterwards as JSON.") var json = false

    /// Pauses (or resumes) every kind named, then prints what changed and what is paused now.
    func set(paused: Bool) async throws {
        let kinds = try JobKind.parseList(kind, setting: "kind")
        let nowPaused = try await withQueue(options) { queue, _ in
            for kind in kinds {
                if paused { try await queue.pause(kind, by: ProcessInfo.processInfo.hostName) } else { try await queue.resume(kind) }
            }
            return try await queue.pausedKinds().map(\.rawValue)
        }
        let named = kinds.map(\.rawValue).joined(separator: ", ")
        if json {
            try printJSON(["paused": nowPaused])
        } else {
            print(paused ? "paused \(named); paused now: \(nowPaused.joined(separator: ", "))" : "resumed \(named)")
        }
    }
}
