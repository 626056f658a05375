// `coordinator gaps`: block spans without a succeeded export (or load).

import ArgumentParser
import Shared

struct Gaps: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Block spans with no succeeded export (default), or with load jobs not succeeded (--load). Exits 3 when there are gaps.")
    @OptionGroup var options: CommonOptions
    @Option(help: "First block (default: start of the planned span).") var from: Int64?
    @Option(help: "Last block (default: end of the planned span).") var to: Int64?
    @Flag(help: "Report load jobs (per entity) that have not succeeded instead of export gaps.") var load = false
    @Flag(help: "Print as JSON.") var json = false

    func validate() throws {
        if let from, let to, from > to { throw ValidationError("--from (\(from)) must not be greater than --to (\(to))") }
        if let from, from < 0 { throw ValidationError("--from must be ≥ 0") }
    }

    func run() async throws {
        let (from, to, load) = (from, to, load)
        let gaps: [BlockGap] = try await withQueue(options) { queue, _ in
            guard let planned = try await queue.exportSpan() ?? (from != nil && to != nil ? from!...to! : nil) else { return [] }
            let span = (from ?? planned.lowerBound)...(to ?? planned.upperBound)
            guard span.lowerBound <= span.upperBound else { return [] }
            return load ? try await queue.loadGaps(in: span) : try await queue.exportGaps(in: span)
        }
        if json {
            try printJSON(gaps)
        } else if gaps.isEmpty {
            print(load ? "every load job in the span succeeded" : "no gaps: every block in the span has a succeeded export")
        } else {
            var rows = load ? [["entity", "blocks", "count", "state"]] : [["blocks", "count"]]
            for gap in gaps {
                let blocks = "\(gap.firstBlock)-\(gap.lastBlock)"
                rows.append(load ? [gap.entity ?? "", blocks, String(gap.blocks), gap.state ?? ""] : [blocks, String(gap.blocks)])
            }
            TextTable.render(rows).forEach { print($0) }
            print("\(gaps.count) gaps, \(gaps.reduce(0) { $0 + $1.blocks }) blocks")
        }
        if !gaps.isEmpty { throw ExitCode(3) }
    }
}
