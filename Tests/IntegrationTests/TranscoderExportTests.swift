// The exporter's transcoder over HTTP: used for every window it can take, same files as without it, in CSV and JSON lines.

import AsyncHTTPClient
import Foundation
import Logging
import Shared
import Testing

@Suite("CSV transcoder in the exporter", .serialized)
struct TranscoderExportTests {
    static let entities: [ExportEntity] = [.blocks, .transactions, .receipts, .logs, .tokenTransfers]

    struct Export {
        var summary: ExportSummary
        var files: [String: Data]
    }

    /// Exports `range` from `url` with or without the transcoder; returns the summary and files.
    func export(_ range: ClosedRange<UInt64>, from url: String, transcodes: Bool, window: Int = 50,
                entities: [ExportEntity] = Self.entities, format: RowFormat = .csv,
                traces: TraceConfiguration = TraceConfiguration()) async throws -> Export {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("bf-transcoder-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: HTTPClientService.defaultConfiguration)
        do {
            let pool = NodePool(configuration: NodePoolConfiguration(endpoints: [try RPCEndpoint(url)], attempts: 2), http: http,
                                logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
            var exporter = RangeExporter(fetcher: BlockFetcher(pool: pool, traces: traces), windowSize: window, windowsInFlight: 3)
            exporter.transcodes = transcodes
            let summary = try await exporter.export(range, entities: entities, format: format, to: output)
            var files: [String: Data] = [:]
            for file in summary.files { files[file.entity] = try Data(contentsOf: URL(fileURLWithPath: file.path)) }
            try await http.shutdown()
            return Export(summary: summary, files: files)
        } catch {
            try await http.shutdown()
            throw error
        }
    }

    @Test("a devchain range: every window transcoded, files byte for byte those of the decoding path", arguments: RowFormat.lineFormats)
    func sameFiles(_ format: RowFormat) async throws {
        let (node, url) = try await Ops.startDevChain(["--seed", "11", "--blocks", "300", "--txs-per-block", "40"])
        defer { node.signal(SIGTERM) }
        let range: ClosedRange<UInt64> = 0...300
        let fast = try await export(range, from: url, transcodes: true, window: 37, format: format)
        let slow = try await export(range, from: url, transcodes: false, window: 37, format: format)
        #expect(fast.summary.windows == 9)
        #expect(fast.summary.transcodedWindows == 9)
        #expect(slow.summary.transcodedWindows == 0)
        #expect(fast.summary.firstParentHash == slow.summary.firstParentHash && fast.summary.lastHash == slow.summary.lastHash)
        for entity in Self.entities.map(\.rawValue) {
            let ours = try #require(fast.files[entity])
            #expect(ours.count > 10_000, "\(entity) has rows")
            #expect(ours == slow.files[entity], "\(entity) differs")
        }
        #expect(fast.summary.files.map(\.rows) == slow.summary.files.map(\.rows))
        #expect(fast.summary.files.map(\.bytes) == slow.summary.files.map(\.bytes))
    }

    @Test("all eight entities: the five transcoded, trace rows encoded, contracts and tokens decoded alongside; files those of the decoding path",
          arguments: RowFormat.lineFormats, [TraceConfiguration.Source.parity, .geth])
    func withTraceEntities(_ format: RowFormat, _ source: TraceConfiguration.Source) async throws {
        let (node, url) = try await Ops.startDevChain(["--seed", "12", "--blocks", "120", "--txs-per-block", "30"])
        defer { node.signal(SIGTERM) }
        let all: [ExportEntity] = Self.entities + [.traces, .contracts, .tokens]
        let traces = TraceConfiguration(source: source)
        let fast = try await export(0...120, from: url, transcodes: true, window: 25, entities: all, format: format, traces: traces)
        let slow = try await export(0...120, from: url, transcodes: false, window: 25, entities: all, format: format, traces: traces)
        #expect(fast.summary.windows == 5)
        #expect(fast.summary.transcodedWindows == 5)
        #expect(slow.summary.transcodedWindows == 0)
        for entity in all.map(\.rawValue) {
            let ours = try #require(fast.files[entity])
            #expect(ours == slow.files[entity], "\(entity) differs")
        }
        #expect(fast.summary.files.map(\.rows) == slow.summary.files.map(\.rows))
        let rows = Dictionary(uniqueKeysWithValues: fast.summary.files.map { ($0.entity, $0.rows) })
        for entity in ["traces", "contracts", "tokens", "token_transfers"] {
            #expect(rows[entity, default: 0] > 0, "\(entity) has rows")
        }
    }

    @Test("traces, contracts and tokens alone (no transcoded entity): trace rows encoded, files those of the decoding path",
          arguments: RowFormat.lineFormats, [TraceConfiguration.Source.parity, .geth])
    func traceEntitiesAlone(_ format: RowFormat, _ source: TraceConfiguration.Source) async throws {
        let (node, url) = try await Ops.startDevChain(["--seed", "13", "--blocks", "60", "--txs-per-block", "30"])
        defer { node.signal(SIGTERM) }
        let entities: [ExportEntity] = [.traces, .contracts, .tokens]
        let traces = TraceConfiguration(source: source)
        let fast = try await export(0...60, from: url, transcodes: true, window: 16, entities: entities, format: format, traces: traces)
        let slow = try await export(0...60, from: url, transcodes: false, window: 16, entities: entities, format: format, traces: traces)
        for entity in entities.map(\.rawValue) {
            let ours = try #require(fast.files[entity])
            #expect(!ours.isEmpty, "\(entity) has rows")
            #expect(ours == slow.files[entity], "\(entity) differs")
        }
        #expect(fast.summary.files.map(\.rows) == slow.summary.files.map(\.rows))
        #expect(fast.summary.files.map(\.bytes) == slow.summary.files.map(\.bytes))
    }

    @Test("a node without eth_getBlockReceipts: the transcoder steps aside for the range, files unchanged")
    func withoutBlockReceipts() async throws {
        let healthy = try await ScriptedNode()
        let baseline = try await export(47218...47219, from: healthy.url, transcodes: true, window: 1)
        healthy.stop()
        #expect(baseline.summary.transcodedWindows == 2)
        let node = try await ScriptedNode(.init(withoutBlockReceipts: true))
        defer { node.stop() }
        let fallback = try await export(47218...47219, from: node.url, transcodes: true, window: 1)
        #expect(fallback.summary.transcodedWindows == 0)
        #expect(fallback.files == baseline.files)
        #expect(node.count("eth_getTransactionReceipt") > 0)
        // Turned off after the first refusal: at most the windows in flight then asked for block receipts.
        #expect(node.count("eth_getBlockReceipts") <= 4)
    }
}
