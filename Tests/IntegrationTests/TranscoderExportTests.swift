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
        // Trace rows are written from the answers' bytes (TraceTranscoder), from either source.
        #expect(fast.summary.traceTranscodedWindows == 5)
        #expect(slow.summary.traceTranscodedWindows == 0)
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
        #expect(fast.summary.traceTranscodedWindows == 4)
        for entity in entities.map(\.rawValue) {
            let ours = try #require(fast.files[entity])
            #expect(!ours.isEmpty, "\(entity) has rows")
            #expect(ours == slow.files[entity], "\(entity) differs")
        }
        #expect(fast.summary.files.map(\.rows) == slow.summary.files.map(\.rows))
        #expect(fast.summary.files.map(\.bytes) == slow.summary.files.map(\.bytes))
    }

    @Test("a trace_block answer the span reading leaves to the record path (non-ASCII error text): that window asked again and written by it, files the same")
    func declinedTraceWindow() async throws {
        for error in [nil, "Reverted: caf\u{e9}"] as [String?] {
            let node = try await ScriptedNode(ScriptedNode.Script(traceError: error))
            defer { node.stop() }
            let entities: [ExportEntity] = [.transactions, .traces, .contracts]
            let fast = try await export(47218...47219, from: node.url, transcodes: true, window: 1, entities: entities,
                                        traces: TraceConfiguration(source: .parity))
            let traceCalls = node.count("trace_block")
            let slow = try await export(47218...47219, from: node.url, transcodes: false, window: 1, entities: entities,
                                        traces: TraceConfiguration(source: .parity))
            let rows = String(decoding: try #require(fast.files["traces"]), as: UTF8.self)
            #expect(fast.files["traces"] == slow.files["traces"], "error \(error ?? "none")")
            #expect(rows.contains("reward_47219_0"), "the reward's block-scoped id")
            if let error {
                #expect(fast.summary.traceTranscodedWindows == 1)
                #expect(traceCalls == 3, "block 47219's traces asked for again by the record path")
                #expect(rows.contains(error))
            } else {
                #expect(fast.summary.traceTranscodedWindows == 2)
                #expect(traceCalls == 2)
            }
        }
    }

    /// Exports `range` into `output` (with the lake under `output/lake` when `lake`) and returns the summary.
    func exportFiles(_ range: ClosedRange<UInt64>, from url: String, transcodes: Bool, format: RowFormat, lake: Bool,
                     to output: URL) async throws -> ExportSummary {
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: HTTPClientService.defaultConfiguration)
        do {
            let pool = NodePool(configuration: NodePoolConfiguration(endpoints: [try RPCEndpoint(url)], attempts: 2), http: http,
                                logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
            var exporter = RangeExporter(fetcher: BlockFetcher(pool: pool), windowSize: 16, windowsInFlight: 3)
            exporter.transcodes = transcodes
            let summary = try await exporter.export(range, entities: ExportEntity.allCases, format: format, to: output.appendingPathComponent("files"),
                                                    lake: lake ? output.appendingPathComponent("lake") : nil)
            try await http.shutdown()
            return summary
        } catch {
            try await http.shutdown()
            throw error
        }
    }

    @Test("Parquet and the lake from the spans: every window transcoded, all eight entities' values those of the decoding path's files",
          .enabled(if: ParquetExportReport.python != nil, ParquetExportReport.skipReason))
    func parquetSameValues() async throws {
        // devchain's blocks are 12 s apart from 2024-03-13 13:55:35 UTC: block 3023 is the first of
        // 2024-03-14, inside the window 3022…3037, so the lake splits a window's cells by date.
        let (node, url) = try await Ops.startDevChain(["--seed", "3", "--blocks", "3100", "--txs-per-block", "6"])
        defer { node.signal(SIGTERM) }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("bf-transcoder-parquet-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let range: ClosedRange<UInt64> = 2990...3059
        let (parquet, csvLake, reference) = (root.appendingPathComponent("parquet"), root.appendingPathComponent("csv-lake"), root.appendingPathComponent("decoded"))
        let fast = try await exportFiles(range, from: url, transcodes: true, format: .parquet, lake: false, to: parquet)
        let fastLake = try await exportFiles(range, from: url, transcodes: true, format: .csv, lake: true, to: csvLake)
        let slow = try await exportFiles(range, from: url, transcodes: false, format: .parquet, lake: true, to: reference)
        #expect(fast.windows == 5 && fast.transcodedWindows == 5)
        #expect(fastLake.transcodedWindows == 5)
        #expect(slow.transcodedWindows == 0)
        #expect(fast.files.map(\.rows) == slow.files.map(\.rows))

        var pairs: [(URL, URL)] = []
        var names: [String] = []
        for (ours, theirs) in zip(fast.files, slow.files) {
            pairs.append((URL(fileURLWithPath: ours.path), URL(fileURLWithPath: theirs.path)))
            names.append(ours.entity + ".parquet")
        }
        // The lake: the same files (entity, date, blocks, rows), each with the same values.
        let describe = { (file: ExportSummary.LakeFile) in "\(file.entity) \(file.blockDate) \(file.firstBlock)-\(file.lastBlock): \(file.rows) rows" }
        let ourLake = try #require(fastLake.lakeFiles).sorted { describe($0) < describe($1) }
        let theirLake = try #require(slow.lakeFiles).sorted { describe($0) < describe($1) }
        #expect(ourLake.map(describe) == theirLake.map(describe))
        #expect(Set(ourLake.map(\.blockDate)) == ["2024-03-13", "2024-03-14"], "the range crosses midnight")
        for (ours, theirs) in zip(ourLake, theirLake) {
            pairs.append((URL(fileURLWithPath: ours.path), URL(fileURLWithPath: theirs.path)))
            names.append("lake " + describe(ours))
        }
        let comparisons = try await ParquetValueComparison.compare(pairs)
        try #require(comparisons.count == pairs.count)
        var rows: [String: Int] = [:]
        for (name, comparison) in zip(names, comparisons) {
            #expect(comparison.sameSchema, "\(name): schema differs")
            #expect(comparison.sameValues && comparison.rows == comparison.otherRows,
                    "\(name): values differ (first in \(comparison.firstDifference ?? "row count"))")
            rows[name] = comparison.rows
        }
        for entity in ExportEntity.allCases {
            #expect(rows["\(entity.rawValue).parquet", default: 0] > 0, "\(entity.rawValue) has rows")
        }
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
