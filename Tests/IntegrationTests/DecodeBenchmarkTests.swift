// The decode stage's cost next to the load of the same range's logs and traces (issue 19's
// measurement), on BLOCKFLEET_DECODE_BENCH_BLOCKS devchain blocks; off unless that is set.

import Foundation
import PostgresNIO
@testable import Shared
import Testing

/// This process's CPU time (user + system), seconds: the Swift side of a stage, next to its wall
/// time (the rest is PostgreSQL's work and waiting).
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// The machine's 1-minute load average (`/proc/loadavg`), for the figures' context.
func loadAverage() -> String {
    (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
}

@Suite("Decode stage benchmark", .serialized)
struct DecodeBenchmarkTests {
    static let blocks = Int(ProcessInfo.processInfo.environment["BLOCKFLEET_DECODE_BENCH_BLOCKS"] ?? "") ?? 0

    @Test("decode stage time vs the load of the range's logs and traces, with the fixture corpus and the devchain definitions (transfers, approvals, contract events) enabled",
          .enabled(if: blocks > 0, "set BLOCKFLEET_DECODE_BENCH_BLOCKS to run"))
    func decodeVersusLoad() async throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("bf-decode-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let last = Int64(Self.blocks - 1)
        let (node, url) = try await DifferentialTests().startDevChain(["--seed", "3", "--blocks", "\(Self.blocks)", "--txs-per-block", "20"])
        defer { node.signal(SIGKILL) }
        let exported = scratch.appendingPathComponent("export")
        try await DifferentialTests().exportRange(0...UInt64(last), entities: [.blocks, .logs, .traces], from: url, to: exported)

        // The corpus (every definition the stage runs) plus the devchain's own, in a dataset of their own.
        let dataset = "bench_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(8)
        let parse = scratch.appendingPathComponent("parse")
        try DecodePipelineTests.write([
            "Token_event_Transfer.json": DecodePipelineTests.definition(dataset: dataset, table: "Token_event_Transfer", abi: DecodePipelineTests.transferEvent, fields: [("from", "STRING"), ("to", "STRING"), ("value", "STRING")]),
            "NFT_event_Transfer.json": DecodePipelineTests.definition(dataset: dataset, table: "NFT_event_Transfer", abi: DecodePipelineTests.nftTransferEvent, fields: [("from", "STRING"), ("to", "STRING"), ("tokenId", "STRING")]),
            "Token_event_Approval.json": DecodePipelineTests.definition(dataset: dataset, table: "Token_event_Approval", abi: DecodePipelineTests.approvalEvent, fields: [("owner", "STRING"), ("spender", "STRING"), ("value", "BIGNUMERIC")]),
            "Token_call_transfer.json": DecodePipelineTests.definition(dataset: dataset, table: "Token_call_transfer", type: "trace", abi: DecodePipelineTests.transferCall, fields: [("_to", "STRING"), ("_value", "STRING")]),
        ], dataset: dataset, in: parse)
        // And the contract-event definitions devchain's ERC-1155, Uniswap V2, Seaport, CCIP and Curve logs match.
        _ = try ContractEventsPipelineTests.install(ContractEventsPipelineTests.definitionFiles, dataset: dataset + "_ev", in: parse)
        let own = try DecodedTableCatalog.load(directory: parse)
        let corpus = try DecodedTableCatalog.load(directory: AirflowFixtures.root)
        let definitions = corpus.decodable + own.decodable
        let staging = LoadTests.Staging()
        defer { staging.remove() }

        try await TestDatabase.with { db in
            let warehouse = PostgresWarehouse(client: db.client, schema: db.schema, store: staging.store, logger: db.logger)
            try await warehouse.prepare()
            var loadSeconds: [ExportEntity: Double] = [:]
            var loadCPU = 0.0
            for entity in [ExportEntity.blocks, .logs, .traces] {
                let csv = try String(contentsOf: exported.appendingPathComponent("\(entity.rawValue).csv"), encoding: .utf8)
                let rows = csv.utf8.split(separator: UInt8(ascii: "\n")).count - 1
                let request = try await staging.stage(csv, rows: rows, entity: entity.rawValue, key: "\(entity.rawValue)/0-\(last).csv.gz")
                let clock = ContinuousClock.now
                let cpu = processCPUSeconds()
                _ = try await warehouse.load(request, into: .of(entity), first: 0, last: last)
                loadSeconds[entity] = (ContinuousClock.now - clock).seconds
                if entity != .blocks { loadCPU += processCPUSeconds() - cpu }
            }
            let schemas = Set(definitions.map(\.warehouseSchema))
            let runner = ModelJobRunner(client: db.client, dialect: .postgres, schema: db.schema, catalog: try ModelCatalog([]),
                                        decoding: try DecodeStage(definitions: definitions), logger: db.logger)
            do {
                try await runner.prepare()
                var seconds: [Double] = [], cpus: [Double] = []
                var decoded = 0, skipped = 0
                var phases: [[String: Int]] = []
                for _ in 0..<3 {
                    let clock = ContinuousClock.now
                    let cpu = processCPUSeconds()
                    let summary = try await runner.run(first: 0, last: last, loaded: [.blocks, .logs, .traces], forced: Set(definitions.map(DecodeStage.runName)), origin: 0)
                    seconds.append((ContinuousClock.now - clock).seconds)
                    cpus.append(processCPUSeconds() - cpu)
                    decoded = summary.decoded?.tables.values.reduce(0) { $0 + $1.decoded } ?? 0
                    skipped = summary.decoded?.tables.values.reduce(0) { $0 + $1.skipped } ?? 0
                    phases.append(summary.decoded?.milliseconds ?? [:])
                }
                let logs = try await DecodePipelineTests.number(db, "SELECT count(*) FROM \"\(db.schema)\".logs")
                let traces = try await DecodePipelineTests.number(db, "SELECT count(*) FROM \"\(db.schema)\".traces")
                let best = seconds.min() ?? 0
                let load = (loadSeconds[.logs] ?? 0) + (loadSeconds[.traces] ?? 0)

                // Where the stage's time goes: the read alone (the stage's two queries, every row
                // drained into the same types), the rows' bytes, and this process's CPU.
                let stage = try DecodeStage(definitions: definitions)
                let topic0s = Array(Set(stage.definitions.filter { $0.parserType == .log }.map { ABIHex.text($0.entry.topic0) })).sorted()
                let selectors = Array(Set(stage.definitions.filter { $0.parserType == .trace }.map { ABIHex.text($0.entry.signatureHash.prefix(4)) })).sorted()
                let readClock = ContinuousClock.now
                let readCPU = processCPUSeconds()
                var logRows = 0, traceRows = 0
                for try await _ in try await db.client.query(DecodeStageSQL.logs(schema: db.schema, first: 0, last: last, topic0s: topic0s), logger: db.logger)
                    .decode((Int64, Int64, String?, String?, String?, String?, Int64?).self) { logRows += 1 }
                for try await _ in try await db.client.query(DecodeStageSQL.traces(schema: db.schema, first: 0, last: last, selectors: selectors), logger: db.logger)
                    .decode((Int64, String?, Int64?, String?, String?, Int64?, String?, Int64?).self) { traceRows += 1 }
                let read = (ContinuousClock.now - readClock).seconds, readCPUSeconds = processCPUSeconds() - readCPU
                let bestCPU = cpus[seconds.firstIndex(of: best) ?? 0]
                let bestPhases = phases[seconds.firstIndex(of: best) ?? 0]
                print("decode bench phases (best run): read and decode \(bestPhases["read"] ?? -1) ms, write \(bestPhases["write"] ?? -1) ms (\(definitions.count) tables: delete, COPY, record)")
                print(String(format: "decode bench split: read alone %.3f s wall, %.3f s CPU here (%d matching logs of %lld, %d calls); stage %.3f s wall, %.3f s CPU here (so decode + row building ≈ %.3f s CPU, COPY + index + delete in PostgreSQL ≈ %.3f s wall); load logs+traces %.3f s CPU here; %.2f decoded rows per log read; load average %@",
                             read, readCPUSeconds, logRows, logs, traceRows, best, bestCPU, bestCPU - readCPUSeconds, best - read - (bestCPU - readCPUSeconds),
                             loadCPU, Double(decoded) / Double(max(1, logRows + traceRows)), loadAverage()))
                print(String(format: "decode bench: %d blocks, %lld logs, %lld traces, %d definitions; load logs %.3f s + traces %.3f s = %.3f s; decode stage best of 3 %.3f s (%@) = %.0f %% of the load; %d rows decoded (%.0f rows/s), %d skipped",
                             Self.blocks, logs, traces, definitions.count, loadSeconds[.logs] ?? 0, loadSeconds[.traces] ?? 0, load, best,
                             seconds.map { String(format: "%.3f", $0) }.joined(separator: ", "), 100 * best / load, decoded, Double(decoded) / best, skipped))
                #expect(decoded > 0)
            } catch {
                for schema in schemas { _ = try? await db.client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \"\(schema)\" CASCADE"), logger: db.logger) }
                throw error
            }
            for schema in schemas { _ = try await db.client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \"\(schema)\" CASCADE"), logger: db.logger) }
        }
    }
}

/// The shared ethereum-etl-airflow fixture definitions (Tests/SharedTests/Fixtures).
enum AirflowFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("SharedTests/Fixtures/ethereum-etl-airflow/table_definitions")
}
