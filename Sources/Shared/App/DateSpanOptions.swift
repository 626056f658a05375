// `--from-date`/`--to-date`, which `coordinator plan` and `worker export` take instead of block numbers.

import ArgumentParser
import Logging

/// UTC days instead of `--from`/`--to`: the blocks whose timestamps fall in those days, as
/// ethereum-etl's `get_block_range_for_date` finds them (`BlockDateRangeFinder`), on the nodes.
public struct DateSpanOptions: ParsableArguments, Sendable {
    @Option(name: .customLong("from-date"), help: "First UTC day, YYYY-MM-DD: the blocks whose timestamps fall in the days --from-date…--to-date, found on the nodes (instead of --from/--to).")
    public var fromDate: String?

    @Option(name: .customLong("to-date"), help: "Last UTC day, included (default: --from-date).")
    public var toDate: String?

    public init() {}

    public var isGiven: Bool { fromDate != nil || toDate != nil }

    /// Checks that blocks or dates are given, not both, and that the dates are dates in order.
    public func validate(hasFrom: Bool, hasTo: Bool) throws {
        if isGiven {
            guard !hasFrom, !hasTo else {
                throw ValidationError("--from/--to (blocks) and --from-date/--to-date (days) exclude each other: give one pair")
            }
            _ = try dates()
        } else if !hasFrom || !hasTo {
            throw ValidationError("give the blocks (--from and --to) or the UTC days (--from-date, and --to-date for more than one)")
        }
    }

    /// The days asked for, both included.
    public func dates() throws -> (first: BlockDate, last: BlockDate) {
        guard let fromDate else { throw ValidationError("--to-date needs --from-date") }
        guard let first = BlockDate(parsing: fromDate) else {
            throw ValidationError("--from-date must be a day as YYYY-MM-DD, got '\(fromDate)'")
        }
        guard let last = BlockDate(parsing: toDate ?? fromDate) else {
            throw ValidationError("--to-date must be a day as YYYY-MM-DD, got '\(toDate ?? "")'")
        }
        guard first <= last else { throw ValidationError("--from-date (\(first)) is after --to-date (\(last))") }
        return (first, last)
    }

    /// The blocks of the days, searched on `nodes`. A span the chain cannot answer (not over yet,
    /// before the chain, without blocks) stops the command with the reason, naming the flags.
    public func blocks(nodes: NodePoolConfiguration, logger: Logger) async throws -> BlockDateRange {
        let (first, last) = try dates()
        return try await HTTPClientService.withClient { http in
            let source = NodePoolTimestampSource(pool: NodePool(configuration: nodes, http: http, logger: logger))
            do {
                return try await BlockDateRangeFinder(source: source).blocks(from: first, through: last)
            } catch let error as BlockDateRangeError {
                throw ConfigurationError(.invalidValue, setting: "--from-date \(first) --to-date \(last)", "\(error.message) [\(error.code.rawValue)]")
            }
        }
    }

    /// The line both commands print: which blocks the days are, and what finding them took.
    public func summary(_ range: BlockDateRange) -> String {
        let (first, last) = (try? dates()) ?? (BlockDate(days: 0), BlockDate(days: 0))
        let days = first == last ? "\(first)" : "\(first)…\(last)"
        return "\(days) (UTC) is blocks \(range.firstBlock)…\(range.lastBlock), found in \(range.calls) eth_getBlockByNumber calls"
    }
}
