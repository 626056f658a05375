// `worker export`: one block range straight from the nodes to files, without the queue.

import ArgumentParser
import Foundation
import Synchronization
import Shared

struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Export blocks A…B to DIR/{entity}.csv|json|parquet directly from the nodes (no queue).")
    @Option(help: "First block.") var from: UInt64?
    @Option(help: "Last block (inclusive).") var to: UInt64?
    @OptionGroup var dates: DateSpanOptions
    @Option(help: "Comma-separated entities among blocks, transactions, receipts, logs, token_transfers, traces, contracts, tokens (default: the first five).")
    var entities: String = ExportEntity.listText(ExportEntity.defaultSet)
    @Option(help: "Output folder.") var output: String
    @Option(help: "csv, json (JSON lines) or parquet (typed columns, ZSTD).") var format: String = "csv"
    @Option(name: .customLong("rpc-url"), help: "Node URL; repeat for a pool (default: env BLOCKFLEET_RPC_URLS, else http://127.0.0.1:8545).")
    var rpcURLs: [String] = []
    @Option(name: .customLong("batch-size"), help: "Calls per JSON-RPC batch (env BLOCKFLEET_RPC_BATCH_SIZE; default 100).") var batchSize: Int?
    @Option(help: "Blocks per fetch window.") var window: Int = 20
    @Option(name: .customLong("windows-in-flight"), help: "Windows fetched at once.") var windowsInFlight: Int = 4
    @Option(name: .customLong("log-level"), help: "Log level (env BLOCKFLEET_LOG_LEVEL; default info).") var logLevel: String?
    @Option(name: .customLong("trace-source"), help: "auto, geth (debug_traceBlockByNumber) or parity (trace_block) (env BLOCKFLEET_TRACE_SOURCE; default auto).")
    var traceSource: String?
    @Option(name: .customLong("token-call-block"), help: "latest or created: the block token metadata is read at (env BLOCKFLEET_TOKEN_CALL_BLOCK; default latest).")
    var tokenCallBlock: String?
    @Flag(name: .customLong("fetch-only"), help: "Benchmark: send the same RPC calls and discard the answers (the ceiling); writes nothing.")
    var fetchOnly = false
    @Flag(help: "Flush each file to disk before moving it into the output folder (off: the system writes it back later, as cp does).")
    var fsync = false
    @Flag(help: "Write {entity}.csv.gz or .json.gz (gzip level 1, ISA-L's igzip, as the fleet stages files); not with parquet, whose pages are compressed already.")
    var gzip = false

    func validate() throws {
        try dates.validate(hasFrom: from != nil, hasTo: to != nil)
        if let from, let to, from > to { throw ValidationError("--from (\(from)) must not be greater than --to (\(to))") }
        guard RowFormat(rawValue: format) != nil else {
            throw ValidationError("--format must be one of \(RowFormat.allCases.map(\.rawValue).joined(separator: ", ")), got '\(format)'")
        }
        guard window > 0, windowsInFlight > 0 else { throw ValidationError("--window and --windows-in-flight must be greater than 0") }
        if gzip, format == RowFormat.parquet.rawValue {
            throw ValidationError("--gzip is for csv and json: Parquet pages are compressed already (ZSTD)")
        }
    }

    func run() async throws {
        MallocTuning.keepLargeBuffers(keep: 256 << 20)
        let environment = Environment().overlaid([
            "BLOCKFLEET_LOG_LEVEL": ("--log-level", logLevel),
            "BLOCKFLEET_RPC_URLS": ("--rpc-url", rpcURLs.isEmpty ? nil : rpcURLs.joined(separator: ",")),
            "BLOCKFLEET_RPC_BATCH_SIZE": ("--batch-size", batchSize.map(String.init)),
            "BLOCKFLEET_TRACE_SOURCE": ("--trace-source", traceSource), "BLOCKFLEET_TOKEN_CALL_BLOCK": ("--token-call-block", tokenCallBlock),
        ])
        let logger = try CommonOptions.reportingFlags { try LoggingConfiguration(environment: environment) }.bootstrap(label: "blockfleet.export")
        let selected: [ExportEntity]
        do { selected = try ExportEntity.parseList(entities) } catch { throw ValidationError("--entities: \(error)") }
        let (nodes, traces) = try CommonOptions.reportingFlags {
            (try NodePoolConfiguration(environment: environment), try TraceConfiguration(environment: environment))
        }
        var span = (from ?? 0)...(to ?? 0)
        if dates.isGiven {
            let range = try await dates.blocks(nodes: nodes, logger: logger)
            span = range.firstBlock...range.lastBlock
            print(dates.summary(range))
        }
        let (from, to) = (span.lowerBound, span.upperBound)
        let (window, windowsInFlight, fsync, gzip, output) = (window, windowsInFlight, fsync, gzip, output)
        let started = ContinuousClock.now
        if fetchOnly {
            let bytes = try await HTTPClientService.withClient { http in
                try await FetchCeiling(
                    transport: JSONRPCTransport(http: http, timeout: nodes.timeout), endpoints: nodes.endpoints,
                    batchSize: nodes.batchSize, windowSize: window, windowsInFlight: windowsInFlight
                ).run(from...to, needs: BlockFetcher.Needs(entities: selected), traceSource: traces.source)
            }
            let seconds = (ContinuousClock.now - started).seconds
            print(String(format: "fetched and discarded %d blocks (%d bytes, %.1f MB) in %.2f s (%.0f blocks/s)", Int(to - from + 1), bytes, Double(bytes) / 1e6, seconds, Double(to - from + 1) / seconds))
            return
        }
        let summary = try await HTTPClientService.withClient { http in
            var exporter = RangeExporter(fetcher: BlockFetcher(pool: NodePool(configuration: nodes, http: http, logger: logger), traces: traces), windowSize: window, windowsInFlight: windowsInFlight)
            exporter.flushesFiles = fsync
            // A progress line on a terminal, redrawn in place; nothing when stderr is a file or pipe.
            if isatty(STDERR_FILENO) == 1 {
                let line = Mutex(ExportProgressLine(total: to - from + 1))
                exporter.progress = { done in
                    guard let text = line.withLock({ $0.update(done: done, elapsed: ContinuousClock.now - started) }) else { return }
                    FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8))
                }
            }
            return try await exporter.export(from...to, entities: selected, format: RowFormat(rawValue: format)!, gzip: gzip, to: URL(fileURLWithPath: output))
        }
        if isatty(STDERR_FILENO) == 1 { FileHandle.standardError.write(Data("\n".utf8)) }
        let seconds = (ContinuousClock.now - started).seconds
        let blocks = Double(to - from + 1)
        for file in summary.files {
            print("\(file.entity): \(file.rows) rows, \(file.bytes) bytes → \(file.path)")
        }
        print(String(format: "exported %.0f blocks in %.2f s (%.0f blocks/s) from %@", blocks, seconds, blocks / seconds, nodes.endpoints.map(\.name).joined(separator: ", ")))
    }
}
