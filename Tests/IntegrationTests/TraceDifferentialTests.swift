// Traces, contracts and tokens against the reference: ethereum-etl's recorded cases replayed by
// devchain over HTTP, and ethereum-etl 2.4.2 itself on a synthetic devchain range.

import AsyncHTTPClient
import Foundation
import TestSupport
import Logging
import Shared
import Testing

@Suite("Traces, contracts and tokens as ethereum-etl exports them", .serialized)
struct TraceDifferentialTests {
    static let fixtures = DifferentialTests.fixtures
    let base = DifferentialTests()

    /// A trace fetcher on one node, with the pool shut down after `body`.
    func withFetcher<T>(_ url: String, _ configuration: TraceConfiguration, _ body: (TraceFetcher) async throws -> T) async throws -> T {
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: HTTPClientService.defaultConfiguration)
        let pool = NodePool(configuration: NodePoolConfiguration(endpoints: [try RPCEndpoint(url)], attempts: 2), http: http,
                            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        do {
            let result = try await body(TraceFetcher(pool: pool, configuration: configuration))
            try await http.shutdown()
            return result
        } catch {
            try? await http.shutdown()
            throw error
        }
    }

    /// Rows written as a file of `format`.
    func write(_ rows: [ExportRow], _ entity: ExportEntity, _ format: RowFormat = .csv, to url: URL) throws {
        let sink = MemorySink()
        let writer = try format.makeWriter(EntityColumns.of(entity), to: sink)
        try writer.write(contentsOf: rows)
        try writer.finish()
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(sink.bytes).write(to: url)
    }

    func temporaryFolder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("bf-traces-\(UUID().uuidString)")
    }

    @Test("recorded trace_block and callTracer answers, replayed over HTTP with the source auto-detected, export as ethereum-etl's files",
          arguments: [
            ("test_export_traces_job", "block_with_create", UInt64(1000690)), ("test_export_traces_job", "block_with_error", 1000895),
            ("test_export_traces_job", "block_with_subtraces", 1000000), ("test_export_traces_job", "block_with_suicide", 1011973),
            ("test_export_traces_job", "block_without_transactions", 0),
            ("test_extract_geth_traces_job", "block_with_create", 1000690), ("test_extract_geth_traces_job", "block_with_error", 1000895),
            ("test_extract_geth_traces_job", "block_with_subtraces", 1000000), ("test_extract_geth_traces_job", "block_with_suicide", 1011973),
            ("test_extract_geth_traces_job", "block_without_transactions", 1),
          ] as [(String, String, UInt64)])
    func traceReplay(job: String, name: String, block: UInt64) async throws {
        let directory = Self.fixtures.appendingPathComponent("\(job)/\(name)")
        let (node, url) = try await base.startDevChain(["--replay", directory.path])
        defer { node.signal(SIGTERM) }
        let (traces, source) = try await withFetcher(url, TraceConfiguration(source: .auto, gethStyle: .ethereumETL)) { fetcher in
            (try await fetcher.traces(for: block...block), await fetcher.source())
        }
        #expect(source == (job == "test_export_traces_job" ? .parity : .geth))
        let work = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        let ours = work.appendingPathComponent("traces.csv")
        try write(try traces[0].map { try TraceMapper().row($0, block: block) }, .traces, to: ours)
        let expected = directory.appendingPathComponent("expected_traces.csv")
        if try String(contentsOf: expected, encoding: .utf8).split(whereSeparator: \.isNewline).count <= 1 {
            #expect(traces[0].isEmpty)
            return
        }
        let verdict = try await base.compare(ours, expected, entity: "traces")
        #expect(verdict.contains("identical"), "\(name): \(verdict)")
    }

    @Test("a recorded eth_getCode answer replayed over HTTP gives ethereum-etl's contract, selectors and verdicts")
    func contractReplay() async throws {
        let directory = Self.fixtures.appendingPathComponent("test_export_contracts_job/erc721_contract")
        let (node, url) = try await base.startDevChain(["--replay", directory.path])
        defer { node.signal(SIGTERM) }
        let contracts = try await withFetcher(url, TraceConfiguration()) { try await $0.contracts(at: ["0x06012C8CF97BEAD5DEAE237070F9587F8E7A266D"]) }
        let sink = MemorySink()
        let writer = try RowFormat.json.makeWriter(.contracts, to: sink)
        try writer.write(contentsOf: try contracts.map { try ContractMapper().row($0, block: nil) })
        try writer.finish()
        let ours = try #require(try JSONSerialization.jsonObject(with: Data(sink.bytes)) as? NSDictionary)
        let theirs = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("expected_contracts.json"))) as? NSDictionary)
        #expect(ours == theirs)
    }

    @Test("recorded eth_call answers replayed over HTTP (unrecorded calls fail) give ethereum-etl's tokens", arguments: [
        ("token_with_alternative_return_type", "0x86fa049857e0209aa7d9e616f7eb3b3b78ecfdb0"),
        ("token_with_invalid_data", "0xf763be8b3263c268e9789abfb3934564a7b80054"),
    ])
    func tokenReplay(name: String, address: String) async throws {
        let directory = Self.fixtures.appendingPathComponent("test_export_tokens_job/\(name)")
        let (node, url) = try await base.startDevChain(["--replay", directory.path])
        defer { node.signal(SIGTERM) }
        let tokens = try await withFetcher(url, TraceConfiguration()) { fetcher in
            try await fetcher.tokens(for: [ContractRecord(address: address, bytecode: nil, blockNumber: nil)])
        }
        let work = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        let ours = work.appendingPathComponent("tokens.csv")
        try write(try tokens.map { try TokenMapper().row($0, block: nil) }, .tokens, to: ours)
        let verdict = try await base.compare(ours, directory.appendingPathComponent("expected_tokens.csv"), entity: "tokens")
        #expect(verdict.contains("identical"), "\(name): \(verdict)")
    }

    @Test("a node without debug_* and without trace_* fails the export at once with an error naming both")
    func noTraceAPI() async throws {
        let (node, url) = try await base.startDevChain(["--seed", "3", "--blocks", "5", "--txs-per-block", "3", "--no-debug-api", "--no-trace-api"])
        defer { node.signal(SIGTERM) }
        let work = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        let started = ContinuousClock.now
        do {
            try await base.exportRange(1...5, entities: [.blocks, .traces], from: url, to: work)
            Issue.record("the export should have failed")
        } catch let error as ExportError {
            #expect(error.code == .noTraceSource)
            #expect(!error.isRetryable)
            #expect(error.description.contains("trace_block") && error.description.contains("debug_traceBlockByNumber"), "\(error)")
        }
        #expect(ContinuousClock.now - started < .seconds(10), "fails at once, no retry loop")
        #expect(!FileManager.default.fileExists(atPath: work.appendingPathComponent("blocks.csv").path), "no file of a failed export")
    }

    @Test("a devchain range exported by ethereum-etl 2.4.2 and BlockFleet: traces (both sources), contracts and tokens identical")
    func againstEthereumETL() async throws {
        guard let etl = ProcessInfo.processInfo.environment["BLOCKFLEET_ETHEREUM_ETL"], FileManager.default.isExecutableFile(atPath: etl) else {
            throw TestSetupError("BLOCKFLEET_ETHEREUM_ETL must name ethereum-etl 2.4.2's `ethereumetl`: run the tests with scripts/test, which installs it")
        }
        let (node, url) = try await base.startDevChain(["--seed", "7", "--blocks", "40", "--txs-per-block", "25"])
        defer { node.signal(SIGTERM) }
        let work = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        let theirs = work.appendingPathComponent("ethereum-etl")
        try FileManager.default.createDirectory(at: theirs, withIntermediateDirectories: true)
        func ethereumETL(_ arguments: [String]) async throws {
            let process = try FleetProcess(etl, arguments, absolute: true)
            #expect(try await process.waitForExit(timeout: .seconds(180)) == 0, "ethereumetl \(arguments.first ?? ""):\n\(process.log)")
        }
        func path(_ name: String) -> String { theirs.appendingPathComponent(name).path }
        try await ethereumETL(["export_traces", "-s", "0", "-e", "40", "-p", url, "-o", path("traces.csv")])
        try await ethereumETL(["extract_contracts", "--traces", path("traces.csv"), "--output", path("contracts.csv")])
        // extract_tokens reads booleans right only from JSON (a CSV "False" is truthy in Python).
        try await ethereumETL(["extract_contracts", "--traces", path("traces.csv"), "--output", path("contracts.json")])
        try await ethereumETL(["extract_tokens", "--contracts", path("contracts.json"), "-p", url, "--output", path("tokens.csv")])
        try await ethereumETL(["export_geth_traces", "-s", "1", "-e", "40", "-p", url, "-o", path("geth_traces.json")])
        try await ethereumETL(["extract_geth_traces", "-i", path("geth_traces.json"), "-o", path("geth_traces.csv")])

        let parity = work.appendingPathComponent("blockfleet-parity")
        try await exportRange(0...40, [.traces, .contracts, .tokens], TraceConfiguration(source: .parity), url, parity)
        for entity in ["traces", "contracts", "tokens"] {
            let verdict = try await base.compare(parity.appendingPathComponent("\(entity).csv"), theirs.appendingPathComponent("\(entity).csv"), entity: entity)
            #expect(verdict.contains("identical"), "\(verdict)")
        }
        let rows = try String(contentsOf: parity.appendingPathComponent("tokens.csv"), encoding: .utf8).split(separator: "\r\n")
        #expect(rows.count > 8, "the range creates tokens of every odd kind")

        let geth = work.appendingPathComponent("blockfleet-geth")
        try await exportRange(1...40, [.traces], TraceConfiguration(source: .geth, gethStyle: .ethereumETL), url, geth)
        let verdict = try await base.compare(geth.appendingPathComponent("traces.csv"), theirs.appendingPathComponent("geth_traces.csv"), entity: "traces")
        #expect(verdict.contains("identical"), "geth: \(verdict)")

        // geth's complete style finds the same contracts as parity, CREATE2 ones included (geth
        // names those frames `create2`; parity calls them `create`).
        let complete = work.appendingPathComponent("blockfleet-geth-complete")
        try await exportRange(1...40, [.traces, .contracts], TraceConfiguration(source: .geth), url, complete)
        func addresses(_ folder: URL) throws -> Set<Substring> {
            let rows = try String(contentsOf: folder.appendingPathComponent("contracts.csv"), encoding: .utf8).split(separator: "\r\n").dropFirst()
            return Set(rows.map { $0.prefix(while: { $0 != "," }) })
        }
        let gethTraces = try String(contentsOf: complete.appendingPathComponent("traces.csv"), encoding: .utf8)
        #expect(gethTraces.contains(",create2,"), "the range has CREATE2 creations")
        #expect(try addresses(complete) == addresses(parity).subtracting(try genesisContracts(in: parity)))
    }

    /// Contracts of block 0 (the geth export starts at block 1: genesis has no transactions to trace).
    func genesisContracts(in folder: URL) throws -> Set<Substring> {
        let rows = try String(contentsOf: folder.appendingPathComponent("contracts.csv"), encoding: .utf8).split(separator: "\r\n").dropFirst()
        return Set(rows.filter { $0.hasSuffix(",0") }.map { $0.prefix(while: { $0 != "," }) })
    }

    @Test("trace statuses equal ethereum-etl 2.4.2's calculate_trace_statuses on random trees of every trace type")
    func statusesAgainstEthereumETL() async throws {
        guard let etl = ProcessInfo.processInfo.environment["BLOCKFLEET_ETHEREUM_ETL"], FileManager.default.isExecutableFile(atPath: etl) else {
            throw TestSetupError("BLOCKFLEET_ETHEREUM_ETL must name ethereum-etl 2.4.2's `ethereumetl`: run the tests with scripts/test, which installs it")
        }
        var generator = SystemRandomNumberGenerator()
        var blocks: [[TraceRecord]] = []
        for _ in 0..<200 {
            var traces: [TraceRecord] = []
            for tx in 0..<Int.random(in: 1...4, using: &generator) {
                var addresses: [[Int]] = [[]]
                var children: [[Int]: Int] = [:]
                for _ in 0..<Int.random(in: 0...12, using: &generator) {
                    let parent = addresses.randomElement(using: &generator)!
                    addresses.append(parent + [children[parent, default: 0]])
                    children[parent, default: 0] += 1
                }
                addresses.sort { $0.lexicographicallyPrecedes($1) }
                for address in addresses {
                    var trace = TraceRecord(blockNumber: 1)
                    trace.transactionHash = "0x\(tx)"
                    trace.traceAddress = address
                    trace.traceType = ["call", "create", "create2", "suicide"].randomElement(using: &generator)
                    if Int.random(in: 0..<4, using: &generator) == 0 { trace.error = "Reverted" }
                    traces.append(trace)
                }
            }
            var reward = TraceRecord(blockNumber: 1)
            reward.traceType = "reward"
            traces.append(reward)
            blocks.append(traces)
        }
        let input = blocks.map { traces in
            traces.map { ["type": $0.traceType ?? "", "tx": $0.transactionHash ?? "", "address": $0.traceAddress ?? [], "error": $0.error ?? ""] as [String: Any] }
        }
        let script = """
            import json, sys
            from ethereumetl.domain.trace import EthTrace
            from ethereumetl.service.trace_status_calculator import calculate_trace_statuses
            out = []
            for block in json.load(sys.stdin):
                traces = []
                for t in block:
                    trace = EthTrace()
                    trace.trace_type, trace.transaction_hash, trace.trace_address = t["type"], t["tx"] or None, t["address"]
                    trace.error = t["error"] or None
                    traces.append(trace)
                calculate_trace_statuses(traces)
                out.append([trace.status for trace in traces])
            json.dump(out, sys.stdout)
            """
        let python = URL(fileURLWithPath: etl).deletingLastPathComponent().appendingPathComponent("python").path
        let result = try await ChildProcess.run(python, ["-c", script], input: try JSONSerialization.data(withJSONObject: input))
        #expect(result.status == 0, "\(result.stderrText)")
        let theirs = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [[Int]])
        #expect(theirs.count == blocks.count)
        for (index, var traces) in blocks.enumerated() where index < theirs.count {
            try TraceStatusCalculator.apply(&traces, block: 1)
            #expect(traces.map { $0.status ?? -1 } == theirs[index], "block \(index): \(input[index])")
        }
    }

    @Test("under injected faults (HTTP 500 and 429, header not found, dropped connections) traces, contracts and tokens come out identical")
    func faultyNode() async throws {
        let chain = ["--seed", "11", "--blocks", "30", "--txs-per-block", "20"]
        let (clean, cleanURL) = try await base.startDevChain(chain)
        defer { clean.signal(SIGTERM) }
        let (faulty, faultyURL) = try await base.startDevChain(chain + ["--error-rate", "0.2", "--drop-connections", "0.03", "--fault-seed", "3"])
        defer { faulty.signal(SIGTERM) }
        let work = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        let entities: [ExportEntity] = [.traces, .contracts, .tokens]
        try await exportRange(1...30, entities, TraceConfiguration(), cleanURL, work.appendingPathComponent("clean"))
        try await exportRange(1...30, entities, TraceConfiguration(), faultyURL, work.appendingPathComponent("faulty"), attempts: 12)
        for entity in entities {
            let clean = try Data(contentsOf: work.appendingPathComponent("clean/\(entity.rawValue).csv"))
            let faulty = try Data(contentsOf: work.appendingPathComponent("faulty/\(entity.rawValue).csv"))
            #expect(!clean.isEmpty && clean == faulty, "\(entity.rawValue): node trouble must be retried, not turned into null token values")
        }
    }

    func exportRange(_ range: ClosedRange<UInt64>, _ entities: [ExportEntity], _ traces: TraceConfiguration, _ url: String, _ output: URL,
                     attempts: Int = 2) async throws {
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: HTTPClientService.defaultConfiguration)
        var configuration = NodePoolConfiguration(endpoints: [try RPCEndpoint(url)], attempts: attempts)
        configuration.backoff = Backoff(base: .milliseconds(20), cap: .milliseconds(200))
        configuration.breakerCooldown = .milliseconds(100)
        let pool = NodePool(configuration: configuration, http: http,
                            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        do {
            // Small windows: many requests, so the injected faults hit every kind of call.
            _ = try await RangeExporter(fetcher: BlockFetcher(pool: pool, traces: traces), windowSize: 2)
                .export(range, entities: entities, format: .csv, to: output)
        } catch {
            try? await http.shutdown()
            throw error
        }
        try await http.shutdown()
    }
}
