// BlockFleet's export against the reference: ethereum-etl 2.4.2 and its recorded fixtures, over HTTP.

import AsyncHTTPClient
import Foundation
import TestSupport
import Logging
import Shared
import Testing

@Suite("Same output as ethereum-etl", .serialized)
struct DifferentialTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = packageRoot.appendingPathComponent("Tests/SharedTests/Fixtures/ethereum-etl")

    /// Starts `devchain` with `arguments` and returns it with its URL once it listens.
    func startDevChain(_ arguments: [String]) async throws -> (FleetProcess, String) {
        try await Ops.startDevChain(arguments)
    }

    /// Compares two CSV files as ethereum-etl's tests do (row order ignored, values exact, by column name).
    func compare(_ ours: URL, _ theirs: URL, entity: String) async throws -> String {
        let result = try await ChildProcess.run("/usr/bin/env", ["python3", Self.packageRoot.appendingPathComponent("Benchmarks/compare_csv.py").path, ours.path, theirs.path, entity])
        return result.stdoutText + (result.status == 0 ? "" : "(exit \(result.status))")
    }

    func exportRange(_ range: ClosedRange<UInt64>, entities: [ExportEntity], from url: String, to output: URL) async throws {
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: HTTPClientService.defaultConfiguration)
        let pool = NodePool(configuration: NodePoolConfiguration(endpoints: [try RPCEndpoint(url)], attempts: 2), http: http,
                            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        do {
            _ = try await RangeExporter(fetcher: BlockFetcher(pool: pool)).export(range, entities: entities, format: .csv, to: output)
        } catch {
            try await http.shutdown()
            throw error
        }
        try await http.shutdown()
    }

    @Test("recorded mainnet blocks replayed by devchain over HTTP export as ethereum-etl's expected files", arguments: [
        ("block_without_transactions", 0...0), ("block_with_logs", 483920...483920), ("blocks_with_transactions", 47218...47219),
    ] as [(String, ClosedRange<UInt64>)])
    func fixtureReplay(_ name: String, _ range: ClosedRange<UInt64>) async throws {
        let directory = Self.fixtures.appendingPathComponent("test_export_blocks_job/\(name)")
        let (node, url) = try await startDevChain(["--replay", directory.path])
        defer { node.signal(SIGTERM) }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("bf-replay-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        try await exportRange(range, entities: [.blocks, .transactions], from: url, to: output)
        for entity in ["blocks", "transactions"] {
            let expected = directory.appendingPathComponent("expected_\(entity).csv")
            let ours = output.appendingPathComponent("\(entity).csv")
            let expectedText = try String(contentsOf: expected, encoding: .utf8)
            if expectedText.split(whereSeparator: \.isNewline).count <= 1 {
                // ethereum-etl writes nothing, not even a header, for an entity without rows.
                #expect(try Data(contentsOf: ours).isEmpty, "\(name) \(entity) should be empty")
                continue
            }
            let verdict = try await compare(ours, expected, entity: entity)
            #expect(verdict.contains("identical"), "\(name): \(verdict)")
        }
    }

    @Test("a devchain range exported by ethereum-etl 2.4.2 and by BlockFleet: identical, row for row")
    func againstEthereumETL() async throws {
        guard let etl = ProcessInfo.processInfo.environment["BLOCKFLEET_ETHEREUM_ETL"], FileManager.default.isExecutableFile(atPath: etl) else {
            throw TestSetupError("BLOCKFLEET_ETHEREUM_ETL must name ethereum-etl 2.4.2's `ethereumetl`: run the tests with scripts/test, which installs it")
        }
        let (node, url) = try await startDevChain(["--seed", "7", "--blocks", "40", "--txs-per-block", "25"])
        defer { node.signal(SIGTERM) }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("bf-diff-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        let theirs = work.appendingPathComponent("ethereum-etl")
        try FileManager.default.createDirectory(at: theirs, withIntermediateDirectories: true)

        func ethereumETL(_ arguments: [String]) async throws {
            let process = try FleetProcess(etl, arguments, absolute: true)
            #expect(try await process.waitForExit(timeout: .seconds(120)) == 0, "ethereumetl \(arguments.first ?? ""):\n\(process.log)")
        }
        try await ethereumETL(["export_blocks_and_transactions", "-s", "0", "-e", "40", "-p", url,
                               "--blocks-output", theirs.appendingPathComponent("blocks.csv").path,
                               "--transactions-output", theirs.appendingPathComponent("transactions.csv").path])
        try await ethereumETL(["extract_csv_column", "--input", theirs.appendingPathComponent("transactions.csv").path,
                               "--column", "hash", "--output", theirs.appendingPathComponent("hashes.txt").path])
        try await ethereumETL(["export_receipts_and_logs", "-t", theirs.appendingPathComponent("hashes.txt").path, "-p", url,
                               "--receipts-output", theirs.appendingPathComponent("receipts.csv").path,
                               "--logs-output", theirs.appendingPathComponent("logs.csv").path])
        try await ethereumETL(["extract_token_transfers", "--logs", theirs.appendingPathComponent("logs.csv").path,
                               "--output", theirs.appendingPathComponent("token_transfers.csv").path])

        let ours = work.appendingPathComponent("blockfleet")
        try await exportRange(0...40, entities: ExportEntity.defaultSet, from: url, to: ours)
        for entity in ExportEntity.defaultSet.map(\.rawValue) {
            let verdict = try await compare(ours.appendingPathComponent("\(entity).csv"), theirs.appendingPathComponent("\(entity).csv"), entity: entity)
            #expect(verdict.contains("identical"), "\(verdict)")
        }
    }
}
