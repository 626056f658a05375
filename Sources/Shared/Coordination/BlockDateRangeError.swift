// Why a span of UTC dates has no block range: each with a code and the dates and blocks at fault.

/// A date span that cannot be turned into blocks. The cases are ethereum-etl's
/// `get_block_range_for_date` errors, with the dates and blocks named.
public struct BlockDateRangeError: Error, CustomStringConvertible, Equatable {
    public enum Code: String, Sendable {
        /// The first date is after the last (ethereum-etl: "start_timestamp must be lesser than end_timestamp").
        case reversedRange = "reversed_range"
        /// The span ends after the head's timestamp, or before block 1's: the chain's blocks do not
        /// cover it (ethereum-etl: "The existing blocks do not completely cover the given time range").
        case notCovered = "not_covered"
        /// No block has a timestamp in the span (ethereum-etl: "The given timestamp range does not cover any blocks").
        case noBlocks = "no_blocks"
        /// The chain has nothing but its genesis block.
        case emptyChain = "empty_chain"
        /// A probed block's timestamp lies outside its neighbours': the node's timestamps decrease.
        case notMonotonic = "not_monotonic"
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
