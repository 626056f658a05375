// The date search as pure logic: ethereum-etl's semantics, repeated timestamps, errors, RPC calls.

import TestSupport
import Testing
@testable import Shared

@Suite("block ranges of UTC dates (BlockDateRangeFinder)")
struct BlockDateRangeFinderTests {
    let midnight: Int64 = 1_704_067_200  // 2024-01-01 00:00:00 UTC

    func day(_ text: String) -> BlockDate { BlockDate(parsing: text)! }

    func range(_ chain: SyntheticTimestamps, _ first: String, _ last: String? = nil) async throws -> BlockDateRange {
        try await BlockDateRangeFinder(source: chain).blocks(from: day(first), through: day(last ?? first))
    }

    func failure(_ chain: SyntheticTimestamps, _ first: String, _ last: String? = nil) async -> BlockDateRangeError? {
        do {
            _ = try await range(chain, first, last)
            return nil
        } catch {
            return error as? BlockDateRangeError
        }
    }

    @Test("the first block at or after 00:00:00 and the last at or before 23:59:59; the genesis goes with block 1's day")
    func boundaries() async throws {
        // Block 0 a day early (as mainnet's timestamp-0 genesis), then a block every 6 hours from 2024-01-01 03:00.
        let chain = SyntheticTimestamps([midnight - 86_400] + (0..<12).map { midnight + 10_800 + $0 * 21_600 })
        let january1 = try await range(chain, "2024-01-01")
        #expect((january1.firstBlock, january1.lastBlock) == (0, 4), "block 1 starts the day, so the genesis comes with it")
        let january2 = try await range(chain, "2024-01-02")
        #expect((january2.firstBlock, january2.lastBlock) == (5, 8))
        let both = try await range(chain, "2024-01-01", "2024-01-02")
        #expect((both.firstBlock, both.lastBlock) == (0, 8))
    }

    @Test("a boundary inside a run of equal timestamps takes the whole run, where ethereum-etl stops at the block it probed")
    func repeatedTimestamps() async throws {
        // Blocks 1…9 before midnight, then runs of 10 blocks per second-mark, one run exactly at
        // 00:00:00 and one exactly at 23:59:59.
        var timestamps: [Int64] = [midnight - 100] + (1...9).map { midnight - 100 + Int64($0) }
        timestamps += Array(repeating: midnight, count: 10)                       // blocks 10…19
        timestamps += (0..<50).map { midnight + 3_600 + Int64($0 / 5) * 600 }     // blocks 20…69
        timestamps += Array(repeating: midnight + 86_399, count: 10)              // blocks 70…79
        timestamps += Array(repeating: midnight + 86_400, count: 10)              // blocks 80…89
        let chain = SyntheticTimestamps(timestamps)
        let january1 = try await range(chain, "2024-01-01")
        #expect((january1.firstBlock, january1.lastBlock) == (10, 79))
        // January 2 starts with a run at its first second and ends at the head: not over yet.
        #expect(await failure(chain, "2024-01-02")?.code == .notCovered)
    }

    @Test("errors: a reversed span, a day past the head, a day ending at the head's second, a day before block 1, a day with no blocks, only a genesis, decreasing timestamps")
    func errors() async throws {
        // A block every 40 hours from 2024-01-01 01:00: 2024-01-03 has none.
        let sparse = SyntheticTimestamps((0..<6).map { midnight + 3_600 + $0 * 144_000 })
        let reversed = await failure(sparse, "2024-01-05", "2024-01-02")
        #expect(reversed?.code == .reversedRange && reversed?.message == "the first date (2024-01-05) is after the last (2024-01-02)")
        let empty = await failure(sparse, "2024-01-03")
        #expect(empty?.code == .noBlocks, "\(String(describing: empty))")
        #expect(empty?.message.contains("block 1 is at 2024-01-02 17:00:00 UTC and the next, block 2, at 2024-01-04 09:00:00 UTC") == true, "\(String(describing: empty))")
        let past = await failure(sparse, "2024-03-01")
        #expect(past?.code == .notCovered && past?.message.contains("the head is block 5 (2024-01-09 09:00:00 UTC)") == true, "\(String(describing: past))")
        #expect(await failure(sparse, "2023-12-30")?.code == .notCovered, "a day before block 1")
        let endsAtHead = SyntheticTimestamps([midnight, midnight + 5, midnight + 86_399])
        #expect(await failure(endsAtHead, "2024-01-01")?.code == .notCovered, "a block may still come in the head's second")
        #expect(await failure(SyntheticTimestamps([midnight]), "2024-01-01")?.code == .emptyChain)
        // Rising to block 500, then falling: a probe lands above the head's timestamp.
        let decreasing = SyntheticTimestamps((0..<1_000).map { $0 < 500 ? midnight - 50_000 + $0 * 200 : midnight + 300_000 - $0 * 100 })
        #expect(await failure(decreasing, "2024-01-01")?.code == .notMonotonic)
    }

    @Test("agrees with a scan of every block on 300 random chains: gaps over a day, runs of equal timestamps, every date")
    func agreesWithScan() async throws {
        var random = SeededGenerator(state: 7)
        for _ in 0..<300 {
            let count = Int.random(in: 2...400, using: &random)
            var timestamps: [Int64] = [midnight + Int64.random(in: -200_000...0, using: &random)]
            let style = Int.random(in: 0..<3, using: &random)
            for _ in 1..<count {
                let step: Int64 = switch (style, Int.random(in: 0..<10, using: &random)) {
                case (_, 0): Int64.random(in: 40_000...200_000, using: &random)   // a quiet stretch, maybe a whole day
                case (1, 1...6): 0                                                // runs of equal timestamps
                case (2, _): Int64.random(in: 0...3, using: &random) * 1_800       // on half-hours, midnight included
                default: Int64.random(in: 1...7_200, using: &random)
                }
                timestamps.append(timestamps.last! + step)
            }
            let chain = SyntheticTimestamps(timestamps)
            for days in BlockDate(timestamp: timestamps[0]).days - 1...BlockDate(timestamp: timestamps.last!).days + 1 {
                let span = Int64.random(in: 0...2, using: &random)
                let (first, last) = (BlockDate(days: days), BlockDate(days: days + span))
                let expected = chain.scan(from: first.firstSecond, to: last.lastSecond)
                do {
                    let found = try await BlockDateRangeFinder(source: chain).blocks(from: first, through: last)
                    #expect(expected == .success(found.firstBlock...found.lastBlock), "\(first)…\(last) on \(timestamps)")
                } catch let error as BlockDateRangeError {
                    #expect(expected == .failure(error.code), "\(first)…\(last) on \(timestamps): \(error)")
                }
            }
        }
    }

    @Test("a day of a 21M-block chain costs few calls: mainnet-like and L2-like timestamps, 200 days each")
    func callsOnALongChain() async throws {
        for (name, chain) in [("mainnet-like", SyntheticTimestamps.mainnetLike()), ("L2-like (4 blocks per timestamp)", SyntheticTimestamps.l2Like())] {
            var random = SeededGenerator(state: 3)
            let firstDay = BlockDate(timestamp: chain.timestamp(1)).days + 1
            let lastDay = BlockDate(timestamp: chain.timestamp(chain.headNumber)).days - 1
            var calls: [Int] = []
            for _ in 0..<200 {
                let date = BlockDate(days: Int64.random(in: firstDay...lastDay, using: &random))
                let before = chain.calls
                let found = try await BlockDateRangeFinder(source: chain).blocks(from: date, through: date)
                calls.append(chain.calls - before)
                #expect(found.calls == calls.last!, "the result counts the calls made")
                // Right without a scan of 21M blocks: the neighbours are outside the day, the ends inside.
                #expect(chain.timestamp(found.firstBlock - 1) < date.firstSecond && chain.timestamp(found.firstBlock) >= date.firstSecond)
                #expect(chain.timestamp(found.lastBlock) <= date.lastSecond && chain.timestamp(found.lastBlock + 1) > date.lastSecond)
            }
            let mean = Double(calls.reduce(0, +)) / Double(calls.count)
            print("BlockDateRangeFinder, \(name), 21,000,000 blocks: a day costs \(calls.min()!)–\(calls.max()!) calls, mean \(mean) (200 days; head and block 1 included)")
            // Bisection alone needs ~2·log₂(21M) ≈ 49; the bound is the guarantee, 3 probes per halving.
            #expect(mean < 20, "\(name): mean \(mean)")
            #expect(calls.max()! <= 2 + 2 * 3 * 25, "\(name): \(calls.max()!)")
        }
    }
}
