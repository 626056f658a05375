// Where the date search reads block timestamps: a protocol, so the search is tested as pure logic.

/// A block number with its timestamp (unix seconds), as `eth_getBlockByNumber` reports them.
public struct BlockTimestamp: Sendable, Equatable, CustomStringConvertible {
    public let number: UInt64
    public let timestamp: Int64

    public init(number: UInt64, timestamp: Int64) {
        self.number = number
        self.timestamp = timestamp
    }

    public var description: String { "block \(number) (\(BlockDate.utcText(timestamp)))" }
}

/// The timestamps of one chain. `BlockDateRangeFinder` asks it for the head once and then for
/// the blocks it probes, one call each: the number of calls is the cost of a search.
public protocol BlockTimestampSource: Sendable {
    /// The chain's head (`latest`).
    func head() async throws -> BlockTimestamp
    /// Block `number`, at most the head.
    func block(_ number: UInt64) async throws -> BlockTimestamp
}
