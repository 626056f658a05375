// Export through real devchain replicas that misbehave: random errors, 429s, lag, dropped connections.

import AsyncHTTPClient
import Foundation
import Logging
import Shared
import Testing

@Suite("Export from faulty devchain replicas", .serialized)
struct FaultyNodesExportTests {
    let differential = DifferentialTests()

    func export(_ urls: [String], to output: URL) async throws -> (files: [String: String], endpoints: [NodePool.EndpointStatus]) {
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: HTTPClientService.defaultConfiguration)
        var configuration = NodePoolConfiguration(endpoints: try urls.map { try RPCEndpoint($0) }, batchSize: 20, timeout: .seconds(5), attempts: 20)
        configuration.backoff = Backoff(base: .milliseconds(20), cap: .milliseconds(500))
        configuration.breakerCooldown = .milliseconds(300)
        let pool = NodePool(configuration: configuration, http: http, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let result: Result<ExportSummary, any Error>
        do {
            result = .success(try await RangeExporter(fetcher: BlockFetcher(pool: pool), windowSize: 10).export(
                0...120, entities: ExportEntity.defaultSet, format: .csv, to: output))
        } catch {
            result = .failure(error)
        }
        let endpoints = await pool.status()
        try await http.shutdown()
        var files: [String: String] = [:]
        for file in try result.get().files { files[file.entity] = try String(contentsOfFile: file.path, encoding: .utf8) }
        return (files, endpoints)
    }

    @Test("errors and 429s, a lagging replica, dropped connections and a dead replica: identical output")
    func faultyReplicasGiveIdenticalOutput() async throws {
        let chain = ["--seed", "11", "--blocks", "140", "--txs-per-block", "10"]
        let (clean, cleanURL) = try await differential.startDevChain(chain)
        let (erroring, erroringURL) = try await differential.startDevChain(chain + ["--error-rate", "0.3", "--fault-seed", "5"])
        let (lagging, laggingURL) = try await differential.startDevChain(chain + ["--lag-blocks", "60"])
        let (dropping, droppingURL) = try await differential.startDevChain(chain + ["--drop-connections", "0.2", "--fault-seed", "9"])
        defer { for node in [clean, erroring, lagging, dropping] { node.signal(SIGTERM) } }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("bf-faulty-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }

        let expected = try await export([cleanURL], to: work.appendingPathComponent("clean")).files
        let faulty = try await export(["http://127.0.0.1:1", erroringURL, laggingURL, droppingURL], to: work.appendingPathComponent("faulty"))
        #expect(expected.count == 5)
        #expect(faulty.files == expected)
        // The faults did happen: the dead, erroring and dropping replicas failed calls; the lagging one is behind.
        let byName = Dictionary(faulty.endpoints.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byName["http://127.0.0.1:1"]?.failures ?? 0 > 0)
        #expect(faulty.endpoints[1].failures > 0, "\(faulty.endpoints)")
        #expect(faulty.endpoints[3].failures > 0, "\(faulty.endpoints)")
        #expect((faulty.endpoints[2].head ?? 0) <= 80, "\(faulty.endpoints)")
    }
}
