// The blocks whose UTC timestamps fall in a span of days: a search over block timestamps.

/// The blocks of a date span, and what finding them cost.
public struct BlockDateRange: Sendable, Equatable, Codable {
    public let firstBlock: UInt64
    public let lastBlock: UInt64
    /// Calls made to the timestamp source, the head's included (each one RPC call over a node).
    public let calls: Int

    public init(firstBlock: UInt64, lastBlock: UInt64, calls: Int) {
        self.firstBlock = firstBlock
        self.lastBlock = lastBlock
        self.calls = calls
    }
}

/// ethereum-etl's `get_block_range_for_date`, correct on chains where many consecutive blocks
/// share a timestamp (L2s).
///
/// Semantics, as ethereum-etl's (`EthService.get_block_range_for_timestamps`): the first block is
/// the first with a timestamp at or after 00:00:00 UTC of the first day, the last block the last
/// at or before 23:59:59 UTC of the last day; block 0 stands in for block 1 (mainnet's genesis
/// has timestamp 0, so ethereum-etl searches from block 1 and gives the genesis to the first day
/// that starts at or before block 1). The same errors: a reversed span, a span the blocks do not
/// cover (past the head, or before block 1), a span without blocks.
///
/// Two deliberate differences, both where ethereum-etl is wrong on repeated timestamps: it stops
/// at whichever block of a run of equal timestamps it probes first (so a day can start in the
/// middle of a run) or fails with "The y coordinate for points is the same"; here a boundary is
/// always the first block at or after the instant, found by the invariant
/// `ts(lo) < instant ≤ ts(hi)`. And the head must be *after* the span: a head whose timestamp is
/// exactly 23:59:59 may still be followed by blocks of that second, so the day is not over yet.
///
/// The search interpolates (blocks come at a roughly steady rate), probes a second block just past
/// the estimate so the bracket closes from both sides, and bisects whenever a round did not
/// halve the bracket: about 14 calls for a day of a 21M-block chain with uneven block times,
/// at most ~3·log₂(blocks) on any chain (`BlockDateRangeFinderTests`).
public struct BlockDateRangeFinder<Source: BlockTimestampSource>: Sendable {
    public let source: Source

    public init(source: Source) {
        self.source = source
    }

    /// The blocks of the days `first` through `last` (UTC), both included.
    public func blocks(from first: BlockDate, through last: BlockDate) async throws -> BlockDateRange {
        guard first <= last else {
            throw BlockDateRangeError(.reversedRange, "the first date (\(first)) is after the last (\(last))")
        }
        return try await blocks(fromTimestamp: first.firstSecond, toTimestamp: last.lastSecond)
    }

    /// The blocks with timestamps in `start…end` (unix seconds, both included).
    public func blocks(fromTimestamp start: Int64, toTimestamp end: Int64) async throws -> BlockDateRange {
        let span = "\(BlockDate.utcText(start)) … \(BlockDate.utcText(end))"
        guard start <= end else {
            throw BlockDateRangeError(.reversedRange, "the span starts (\(BlockDate.utcText(start))) after it ends (\(BlockDate.utcText(end)))")
        }
        var search = TimestampSearch(source: source, head: try await source.head())
        let head = search.head
        guard head.number >= 1 else {
            throw BlockDateRangeError(.emptyChain, "the chain has no block after its genesis (head \(head)), so no date has blocks")
        }
        guard end < head.timestamp else {
            throw BlockDateRangeError(.notCovered, "the chain's blocks do not cover \(span): the head is \(head), so that span is not over on this chain yet")
        }
        let one = try await search.timestamp(1)
        guard end >= one else {
            throw BlockDateRangeError(.notCovered, "the chain's blocks do not cover \(span): it ends before block 1 (\(BlockDate.utcText(one)))")
        }
        let first = try await search.firstBlock(atOrAfter: start)
        let last = try await search.firstBlock(atOrAfter: end + 1) - 1
        guard first <= last else {
            throw BlockDateRangeError(.noBlocks, "no block has a timestamp in \(span): block \(last) is at \(BlockDate.utcText(search.known[last]!)) and the next, block \(first), at \(BlockDate.utcText(search.known[first]!))")
        }
        return BlockDateRange(firstBlock: first == 1 ? 0 : first, lastBlock: last, calls: search.calls)
    }
}

/// One search's probes: the timestamps seen so far (every later bracket starts from the tightest
/// pair among them) and how many calls they took.
struct TimestampSearch<Source: BlockTimestampSource> {
    let source: Source
    let head: BlockTimestamp
    var known: [UInt64: Int64]
    var calls = 1

    init(source: Source, head: BlockTimestamp) {
        self.source = source
        self.head = head
        known = [head.number: head.timestamp]
    }

    mutating func timestamp(_ number: UInt64) async throws -> Int64 {
        if let timestamp = known[number] { return timestamp }
        let block = try await source.block(number)
        calls += 1
        guard block.number == number else {
            throw BlockDateRangeError(.notMonotonic, "asked for block \(number), the node answered block \(block.number)")
        }
        known[number] = block.timestamp
        return block.timestamp
    }

    /// The first block in 1…head with a timestamp ≥ `instant`; head + 1 when there is none.
    mutating func firstBlock(atOrAfter instant: Int64) async throws -> UInt64 {
        if try await timestamp(1) >= instant { return 1 }
        if head.timestamp < instant { return head.number + 1 }
        // ts(lo) < instant ≤ ts(hi) from here on.
        var lo: UInt64 = 1, hi = head.number
        for (number, timestamp) in known {
            if timestamp < instant { lo = max(lo, number) } else { hi = min(hi, number) }
        }
        while hi - lo > 1 {
            let width = hi - lo
            let (low, high) = (known[lo]!, known[hi]!)
            let blocksPerSecond = Double(width) / Double(high - low)
            // Interpolate where `instant` falls, as if blocks came at the bracket's average rate.
            let estimate = lo + UInt64(min(Double(width), Double(instant - low) * blocksPerSecond))
            let x = min(max(estimate, lo + 1), hi - 1)
            let t = try await probe(x, lo, hi)
            if t < instant { lo = x } else { hi = x }
            if hi - lo > 1 {
                // A second probe past the boundary the local rate predicts (by half the distance
                // again), so the bracket closes from the other side too instead of creeping.
                let distance = UInt64((Double(t < instant ? instant - t : t - instant) * blocksPerSecond).rounded(.up))
                let step = max(1, distance + distance / 2)
                let y = t < instant ? min(x + step, hi - 1) : max(x > step ? x - step : 0, lo + 1)
                if try await probe(y, lo, hi) < instant { lo = y } else { hi = y }
            }
            if hi - lo > 1, hi - lo > width / 2 {
                // The rate misled us (a change of block time): halve, which bounds the worst case.
                let middle = lo + (hi - lo) / 2
                if try await probe(middle, lo, hi) < instant { lo = middle } else { hi = middle }
            }
        }
        return hi
    }

    /// Block `number`'s timestamp, which must lie between its bracket's: timestamps never decrease.
    private mutating func probe(_ number: UInt64, _ lo: UInt64, _ hi: UInt64) async throws -> Int64 {
        let t = try await timestamp(number)
        guard known[lo]! <= t, t <= known[hi]! else {
            throw BlockDateRangeError(.notMonotonic, "block timestamps decrease: block \(number) is at \(BlockDate.utcText(t)), outside block \(lo) (\(BlockDate.utcText(known[lo]!))) … block \(hi) (\(BlockDate.utcText(known[hi]!)))")
        }
        return t
    }
}
