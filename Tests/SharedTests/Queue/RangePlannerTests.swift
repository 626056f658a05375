// Range planning: the chunk grid, subtraction of covered ranges, and plan validation.

import Testing
@testable import Shared

@Suite("Range planning")
struct RangePlannerTests {
    @Test("ranges sit on a grid of the chunk size, whatever the span's start")
    func gridAligned() {
        #expect(RangePlanner.ranges(from: 0, to: 249, chunkSize: 100) == [0...99, 100...199, 200...249])
        #expect(RangePlanner.ranges(from: 150, to: 420, chunkSize: 100) == [150...199, 200...299, 300...399, 400...420])
        #expect(RangePlanner.ranges(from: 7, to: 7, chunkSize: 1000) == [7...7])
    }

    @Test("covered blocks are left out and the rest keeps the grid")
    func excludesCovered() {
        let ranges = RangePlanner.ranges(from: 0, to: 499, chunkSize: 100, excluding: [0...99, 230...260, 400...999])
        #expect(ranges == [100...199, 200...229, 261...299, 300...399])
    }

    @Test("uncovered spans: none, all, and overlapping covers")
    func uncovered() {
        #expect(RangePlanner.uncovered(10...20, by: []) == [10...20])
        #expect(RangePlanner.uncovered(10...20, by: [0...100]) == [])
        #expect(RangePlanner.uncovered(10...20, by: [12...14, 13...16, 19...25]) == [10...11, 17...18])
        #expect(RangePlanner.uncovered(10...20, by: [0...5, 30...40]) == [10...20])
    }

    @Test("every block of the span is in exactly one range")
    func partitionProperty() {
        for (first, last, chunk) in [(0, 1000, 7), (13, 9_999, 250), (5, 5, 1), (999, 1_000, 1_000)] as [(Int64, Int64, Int64)] {
            let ranges = RangePlanner.ranges(from: first, to: last, chunkSize: chunk)
            #expect(ranges.first?.lowerBound == first && ranges.last?.upperBound == last)
            for (a, b) in zip(ranges, ranges.dropFirst()) { #expect(a.upperBound + 1 == b.lowerBound) }
            #expect(ranges.allSatisfy { $0.count <= chunk })
        }
    }

    @Test("bad plans are rejected with a message naming the flag")
    func validation() {
        func message(_ make: () throws -> PlanRequest) -> String? {
            do { _ = try make(); return nil } catch let error as QueueError { return error.message } catch { return "\(error)" }
        }
        #expect(message { try PlanRequest(from: 10, to: 5, chunkSize: 1) }?.contains("--from (10) must not be greater than --to (5)") == true)
        #expect(message { try PlanRequest(from: 0, to: 5, chunkSize: 0) }?.contains("--chunk-size") == true)
        #expect(message { try PlanRequest(from: -1, to: 5, chunkSize: 1) }?.contains("--from") == true)
        #expect(message { try PlanRequest(from: 0, to: 5, chunkSize: 1, maxAttempts: 0) }?.contains("--max-attempts") == true)
        #expect(message { try PlanRequest(from: 0, to: 100_000_000, chunkSize: 1) }?.contains("more than") == true)
        #expect(message { try PlanRequest(from: 0, to: 5, chunkSize: 1, entities: []) }?.contains("entity") == true)
        #expect(message { try PlanRequest(from: 0, to: 5, chunkSize: 10) } == nil)
    }

    @Test("entity lists: canonical order, duplicates dropped, unknown names named")
    func entityLists() throws {
        #expect(try ExportEntity.parseList("logs, blocks,logs") == [.blocks, .logs])
        #expect(ExportEntity.listText([.tokenTransfers, .blocks]) == "blocks,token_transfers")
        #expect(throws: ExportEntityError.unknown("nfts")) { try ExportEntity.parseList("blocks,nfts") }
        #expect(throws: ExportEntityError.empty) { try ExportEntity.parseList(" , ") }
    }
}
