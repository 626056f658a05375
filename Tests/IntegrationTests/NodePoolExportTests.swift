// The node pool and range export over real HTTP: faulty replicas, adaptive batches, bad data.

import AsyncHTTPClient
import Foundation
import Logging
import Shared
import Testing

@Suite("Node pool and export over HTTP", .serialized)
struct NodePoolExportTests {
    static let range: ClosedRange<UInt64> = 47218...47219
    static let entities: [ExportEntity] = [.blocks, .transactions, .receipts, .logs, .tokenTransfers]

    /// Exports the two scripted blocks through a pool of `urls`; returns each file's text.
    func export(_ urls: [String], attempts: Int = 6, batchSize: Int = 100, rateLimit: Double? = nil, window: Int = 1, timeout: Duration = .seconds(5)) async throws -> [String: String] {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("bf-export-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: HTTPClientService.defaultConfiguration)
        do {
            let files = try await exportFiles(urls, http: http, attempts: attempts, batchSize: batchSize, rateLimit: rateLimit, window: window, timeout: timeout, output: output)
            try await http.shutdown()
            return files
        } catch {
            try await http.shutdown()
            throw error
        }
    }

    private func exportFiles(_ urls: [String], http: HTTPClient, attempts: Int, batchSize: Int, rateLimit: Double?, window: Int, timeout: Duration, output: URL) async throws -> [String: String] {
        var configuration = NodePoolConfiguration(endpoints: try urls.map { try RPCEndpoint($0) }, batchSize: batchSize, timeout: timeout, attempts: attempts)
        configuration.backoff = Backoff(base: .milliseconds(50), cap: .milliseconds(200))
        configuration.rateLimit = rateLimit
        configuration.breakerCooldown = .milliseconds(200)
        let pool = NodePool(configuration: configuration, http: http, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let exporter = RangeExporter(fetcher: BlockFetcher(pool: pool), windowSize: window, windowsInFlight: 2)
        do {
            let summary = try await exporter.export(Self.range, entities: Self.entities, format: .csv, to: output)
            #expect(summary.files.count == Self.entities.count)
            var texts: [String: String] = [:]
            for file in summary.files { texts[file.entity] = try String(contentsOfFile: file.path, encoding: .utf8) }
            return texts
        } catch {
            // A failed export leaves nothing behind: no files, no working folder.
            let left = (try? FileManager.default.contentsOfDirectory(atPath: output.path)) ?? []
            #expect(left.isEmpty, "a failed export left \(left)")
            throw error
        }
    }

    func baseline() async throws -> [String: String] {
        let node = try await ScriptedNode()
        defer { node.stop() }
        return try await export([node.url])
    }

    @Test("a healthy node: blocks and transactions as ethereum-etl wrote them, receipts and logs derived")
    func healthyExport() async throws {
        let files = try await baseline()
        let blocks = try #require(files["blocks"])
        #expect(blocks.split(separator: "\r\n").count == 3)
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("SharedTests/Fixtures/ethereum-etl/test_export_blocks_job/blocks_with_transactions/expected_transactions.csv")
        let expected = try String(contentsOf: fixture, encoding: .utf8).split(whereSeparator: \.isNewline).count
        #expect(files["transactions"]?.split(separator: "\r\n").count == expected)
        #expect(files["receipts"]?.split(separator: "\r\n").count == expected)
    }

    @Test("one replica down, one lagging, one rate-limited, one with RPC errors: identical output")
    func faultyReplicas() async throws {
        let expected = try await baseline()
        let lagging = try await ScriptedNode(.init(head: 47218))
        let limited = try await ScriptedNode(.init(failWithStatus: 429, failures: 3))
        let erroring = try await ScriptedNode(.init(rpcErrors: 4))
        let failing = try await ScriptedNode(.init(failWithStatus: 503, failures: 5))
        defer { [lagging, limited, erroring, failing].forEach { $0.stop() } }
        let down = "http://127.0.0.1:1"
        let files = try await export([down, lagging.url, limited.url, erroring.url, failing.url], attempts: 12)
        #expect(files == expected)
    }

    @Test("a replica that reorders its answers gives the same output (ids are matched, not positions)")
    func reorderedAnswers() async throws {
        let expected = try await baseline()
        let node = try await ScriptedNode(.init(reversed: true))
        defer { node.stop() }
        #expect(try await export([node.url], window: 2) == expected)
    }

    @Test("a node with a batch limit of 1 (smaller than ours): the batch size adapts, output identical")
    func adaptiveBatchSize() async throws {
        let expected = try await baseline()
        let node = try await ScriptedNode(.init(batchLimit: 1))
        defer { node.stop() }
        #expect(try await export([node.url], attempts: 2, window: 2) == expected)
    }

    @Test("a node without eth_getBlockReceipts: per-transaction receipts, output identical")
    func receiptFallback() async throws {
        let expected = try await baseline()
        let node = try await ScriptedNode(.init(withoutBlockReceipts: true))
        defer { node.stop() }
        #expect(try await export([node.url]) == expected)
        #expect(node.count("eth_getTransactionReceipt") > 0)
    }

    @Test("a replica whose block does not chain to its parent fails the export naming block and field")
    func forkedParentIsCaught() async throws {
        let node = try await ScriptedNode(.init(forkedParent: true))
        defer { node.stop() }
        let error = await #expect(throws: ExportError.self) { try await export([node.url]) }
        #expect(error?.code == .parentHashMismatch)
        #expect(error?.blockNumber == 47219 && error?.field == "parentHash")
        #expect(error?.isRetryable == true)
    }

    @Test("receipts naming another block hash fail the export naming block and field")
    func foreignReceiptsAreCaught() async throws {
        let node = try await ScriptedNode(.init(receiptsFromOtherBlock: true))
        defer { node.stop() }
        let error = await #expect(throws: ExportError.self) { try await export([node.url], window: 2) }
        #expect(error?.code == .blockHashMismatch)
        #expect(error?.blockNumber == 47219)
        #expect(error?.field?.contains("blockHash") == true)
    }

    @Test("a malformed field fails the export with a message naming block and field")
    func malformedFieldIsNamed() async throws {
        let node = try await ScriptedNode(.init(malformedField: true))
        defer { node.stop() }
        let error = await #expect(throws: (any Error).self) { try await export([node.url]) }
        let text = String(describing: error)
        #expect(text.contains("47219") && text.contains("gasUsed"), "\(text)")
    }

    @Test("answers with ids that match no call are rejected, then the pool gives up")
    func wrongIDsAreRejected() async throws {
        let node = try await ScriptedNode(.init(wrongIDs: true))
        defer { node.stop() }
        let error = await #expect(throws: RPCError.self) { try await export([node.url], attempts: 2) }
        #expect(error?.code == .malformedResponse)
        #expect(error?.message.contains("matches no call") == true)
    }

    @Test("every replica behind the range: a clear error naming each head")
    func allReplicasBehind() async throws {
        let node = try await ScriptedNode(.init(head: 100))
        defer { node.stop() }
        let error = await #expect(throws: RPCError.self) { try await export([node.url], attempts: 2) }
        #expect(error?.code == .noEndpoint)
        // Both windows are fetched at once; whichever fails first names its block.
        #expect(error?.description.range(of: "every replica is behind block 4721[89]", options: .regularExpression) != nil, "\(String(describing: error))")
        #expect(error?.description.contains("at 100") == true, "\(String(describing: error))")
    }

    @Test("the per-endpoint rate limit spaces the calls out")
    func rateLimit() async throws {
        let node = try await ScriptedNode()
        defer { node.stop() }
        let started = ContinuousClock.now
        _ = try await export([node.url], batchSize: 1, rateLimit: 2, window: 1)
        // 2 block and 2 receipt calls at 2 calls/s with a burst of 2: the last two wait ~1 s.
        #expect(ContinuousClock.now - started >= .milliseconds(900))
        #expect(node.totalCalls >= 5)
    }
}
