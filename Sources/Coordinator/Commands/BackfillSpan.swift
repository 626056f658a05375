// The span and priority `models backfill` and `parse backfill` take, checked in one place.

import ArgumentParser

struct BackfillSpan: ParsableArguments {
    @Option(help: "First block of the span (default: all).") var from: Int64?
    @Option(help: "Last block of the span (default: all).") var to: Int64?
    @Option(help: "Lower runs first.") var priority: Int = 100

    func validate() throws {
        if let from, from < 0 { throw ValidationError("--from must be a block number (>= 0), got \(from)") }
        if let from, let to, to < from { throw ValidationError("--to (\(to)) is below --from (\(from))") }
    }

    /// The blocks asked for; without `--from`/`--to`, all of them.
    var blocks: (from: Int64, to: Int64) { (from ?? 0, to ?? Int64.max) }
}
