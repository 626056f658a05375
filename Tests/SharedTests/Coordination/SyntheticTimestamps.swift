// A chain of timestamps given by a function, counting the calls the date search makes.

import Synchronization
@testable import Shared
import TestSupport

/// Blocks 0…head with `timestamp(n)`; every call is counted, as an RPC call would be.
final class SyntheticTimestamps: BlockTimestampSource {
    let headNumber: UInt64
    let timestamp: @Sendable (UInt64) -> Int64
    private let counter = Mutex(0)

    init(head: UInt64, _ timestamp: @escaping @Sendable (UInt64) -> Int64) {
        headNumber = head
        self.timestamp = timestamp
    }

    convenience init(_ timestamps: [Int64]) {
        self.init(head: UInt64(timestamps.count - 1)) { timestamps[Int($0)] }
    }

    var calls: Int { counter.withLock { $0 } }

    func head() async throws -> BlockTimestamp {
        counter.withLock { $0 += 1 }
        return BlockTimestamp(number: headNumber, timestamp: timestamp(headNumber))
    }

    func block(_ number: UInt64) async throws -> BlockTimestamp {
        counter.withLock { $0 += 1 }
        precondition(number <= headNumber, "the search asked for block \(number) above the head \(headNumber)")
        return BlockTimestamp(number: number, timestamp: timestamp(number))
    }

    enum Scan: Equatable {
        case success(ClosedRange<UInt64>)
        case failure(BlockDateRangeError.Code)
    }

    /// The answer by reading every block: what the search must return (or the error it must throw).
    func scan(from start: Int64, to end: Int64) -> Scan {
        guard start <= end else { return .failure(.reversedRange) }
        guard headNumber >= 1 else { return .failure(.emptyChain) }
        guard end < timestamp(headNumber), end >= timestamp(1) else { return .failure(.notCovered) }
        let first = (1...headNumber).first { timestamp($0) >= start }!
        let last = (1...headNumber).last { timestamp($0) <= end }!
        guard first <= last else { return .failure(.noBlocks) }
        return .success((first == 1 ? 0 : first)...last)
    }

    /// A 21M-block chain like mainnet's history: rates that change every 1,000 blocks (10–20 s
    /// before block 15.5M, as proof of work wandered; 12 s after, as slots) plus per-block jitter.
    static func mainnetLike() -> SyntheticTimestamps {
        let (chunk, blocks): (UInt64, UInt64) = (1_000, 21_000_000)
        var random = SeededGenerator(state: 21)
        var starts: [Int64] = [1_438_269_973], rates: [Int64] = []
        for index in 0...(blocks / chunk) {
            let rate: Int64 = index * chunk < 15_500_000 ? Int64.random(in: 10...20, using: &random) : 12
            rates.append(rate)
            starts.append(starts.last! + rate * Int64(chunk))
        }
        return SyntheticTimestamps(head: blocks) { [starts, rates] n in
            let (index, offset) = (Int(n / chunk), Int64(n % chunk))
            // Jitter below half the rate keeps timestamps strictly increasing.
            let jitter = Int64((n &* 0x9E37_79B9_7F4A_7C15) >> 40) % (rates[index] / 2)
            return starts[index] + offset * rates[index] + jitter
        }
    }

    /// A 21M-block L2-like chain: runs of 4 blocks share a timestamp, a run every 4 or 8 s.
    static func l2Like() -> SyntheticTimestamps {
        let (chunk, blocks): (UInt64, UInt64) = (1_000, 21_000_000)
        var random = SeededGenerator(state: 22)
        var starts: [Int64] = [1_686_000_000], secondsPerRun: [Int64] = []
        for _ in 0...(blocks / chunk) {
            let seconds: Int64 = [4, 8, 8, 8][Int.random(in: 0..<4, using: &random)]
            secondsPerRun.append(seconds)
            starts.append(starts.last! + seconds * Int64(chunk / 4))
        }
        return SyntheticTimestamps(head: blocks) { [starts, secondsPerRun] n in
            let index = Int(n / chunk)
            return starts[index] + Int64(n % chunk / 4) * secondsPerRun[index]
        }
    }
}
