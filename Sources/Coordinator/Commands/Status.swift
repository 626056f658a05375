// `coordinator status`: queue depth, progress and dead jobs, once or watched.

import ArgumentParser
import Foundation
import Shared

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Job counts by kind and state, export progress, dead jobs.")
    @OptionGroup var options: CommonOptions
    @Flag(help: "Print as JSON.") var json = false
    @Option(help: "Refresh every this many seconds until interrupted.") var watch: Double?
    @Flag(name: .customLong("until-idle"), help: "With --watch: exit once no job is pending, running or retrying.") var untilIdle = false

    func validate() throws {
        if let watch, !(watch >= 0.1) { throw ValidationError("--watch must be at least 0.1 seconds") }
        if untilIdle && watch == nil { throw ValidationError("--until-idle needs --watch") }
    }

    func run() async throws {
        guard let watch else {
            let report = try await withQueue(options) { queue, _ in try await StatusReport.load(from: queue) }
            if json { try printJSON(report) } else { print(report.render()) }
            return
        }
        let (json, untilIdle) = (json, untilIdle)
        try await withQueue(options) { queue, _ in
            let interactive = isatty(STDOUT_FILENO) == 1
            while true {
                let report = try await StatusReport.load(from: queue)
                if json {
                    try printJSON(report)
                } else {
                    // Redraw in place on a terminal; append in logs.
                    print((interactive ? "\u{1B}[H\u{1B}[2J" : "") + report.render() + "\n")
                }
                if untilIdle && report.isIdle { return }
                try await Task.sleep(for: .milliseconds(Int64(watch * 1000)))
            }
        }
    }
}
