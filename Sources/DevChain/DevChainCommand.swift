// DevChainCommand: the `devchain` executable — flags, configuration, start, stop on signal.

import ArgumentParser
import Dispatch
import Foundation

/// A local geth stand-in for tests and benchmarks: replays ethereum-etl fixtures or serves
/// a deterministic post-Cancun chain, with optional fault injection.
@main
struct DevChainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devchain",
        abstract: "Local JSON-RPC node: synthetic chain or ethereum-etl fixture replay, with fault injection.",
        discussion: """
        Prints `devchain listening on HOST:PORT` once ready; SIGTERM/SIGINT stop it.

          devchain --seed 1 --blocks 20000                 synthetic blocks 0…20000, 100 txs each
          devchain --replay fixtures/ethereum-etl/test_export_blocks_job/blocks_with_transactions
          devchain --port 0 --error-rate 0.1 --drop-connections 0.02 --fault-seed 7 --lag-blocks 3
          devchain --seconds-per-block 1 --blocks-per-timestamp 4       an L2's repeated timestamps

        Synthetic methods: eth_blockNumber, eth_chainId, net_version, web3_clientVersion, eth_syncing,
        eth_getBlockByNumber/ByHash, eth_getBlockReceipts, eth_getTransactionByHash,
        eth_getTransactionReceipt, eth_getBlockTransactionCountByNumber, eth_getCode, eth_call
        (ERC20/721 name, symbol, decimals, totalSupply on the token pool and on contracts created
        by contracts), eth_getLogs, trace_block (Erigon's shape) and debug_traceBlockByNumber
        (geth's callTracer) over nested, reverted, creating and self-destructing calls.
        Besides ERC-20/721 transfers, blocks carry contract events (off: --no-contract-events):
        ERC-1155 TransferSingle/TransferBatch, Uniswap V2's factory (its mainnet address) creating
        pair k in block k(k+1)/2+1 and the pairs' Swap/Mint/Burn/Sync (swaps also as pair.swap
        calls in traces), Seaport 1.1 OrderFulfilled, CCIPSendRequested, Curve AddLiquidity, ENS
        TextChanged (an indexed string), and
        ERC-721 Approval / 3-topic TransferSingle logs (a known topic 0 under another indexed layout).
        Tags: latest/pending = head, safe = head − 32, finalized = head − 64 (clamped at 0).
        """
    )

    @Option(help: "Interface to listen on.") var host = "127.0.0.1"
    @Option(help: "TCP port (0 picks a free one).") var port = 8545

    @Option(help: ArgumentHelp("Replay the recorded responses of one ethereum-etl fixture case directory.", valueName: "dir"))
    var replay: String?
    @Option(help: "Synthetic chain seed (default 1).") var seed: UInt64?
    @Option(help: "Synthetic chain length: blocks 1…N carry transactions, block 0 is genesis (default 1000).") var blocks: UInt64?
    @Option(help: "Transactions per synthetic block.") var txsPerBlock = 100
    @Option(help: "Chain id of the synthetic chain.") var chainId: UInt64 = 1
    @Option(help: "Unix time of the synthetic genesis block (default 1710338135, 2024-03-13 13:55:35 UTC).") var genesisTimestamp: UInt64 = 1_710_338_135
    @Option(help: "Seconds from one synthetic block (or run of blocks, with --blocks-per-timestamp) to the next.") var secondsPerBlock: UInt64 = 12
    @Option(help: "Consecutive synthetic blocks sharing a timestamp, as on L2s (default 1: each its own).") var blocksPerTimestamp: UInt64 = 1

    @Option(help: "Fraction of requests answered with HTTP 500, HTTP 429 or JSON-RPC -32000 (0…1).") var errorRate = 0.0
    @Option(help: "Requests per second accepted; the excess gets HTTP 429 with Retry-After.") var rateLimit: Double?
    @Option(help: "Milliseconds added before every HTTP response.") var latencyMs = 0
    @Option(help: "Report head − B and answer null for blocks above it.") var lagBlocks: UInt64 = 0
    @Option(help: "Fraction of requests whose connection is closed without a response (0…1).") var dropConnections = 0.0
    @Option(help: "Maximum calls per batch (geth's default 1000).") var batchLimit = 1000
    @Option(help: "Maximum result bytes per batch response (geth's default 25 MB).") var responseSizeLimit = 25_000_000
    @Option(help: "Seed of the fault decisions.") var faultSeed: UInt64 = 0
    @Option(help: "Rendered synthetic blocks kept in memory.") var cacheBlocks = 1024
    @Option(help: "Widest block range of one eth_getLogs.") var logsMaxRange: UInt64 = 10_000
    @Option(help: "Event-loop threads (0: one per core).") var threads = 0
    @Option(help: "Synthetic head at start (default: the last block); with --grow-per-second the head then advances.") var head: UInt64?
    @Option(help: "Blocks the synthetic head gains per second, up to --blocks (default 0: fixed head).") var growPerSecond = 0.0
    @Flag(help: "Render every synthetic block before listening and keep them all in memory (≈ 0.23 MB per 100-transaction block), so benchmarks measure serving, not rendering.")
    var precompute = false
    @Flag(help: "Serve the synthetic chain without its contract events (ERC-1155 transfers, Uniswap-V2-like pairs, Seaport, CCIP, Curve, ENS, ERC-721 approvals): those transactions are plain transfers instead.")
    var noContractEvents = false
    @Flag(help: "Answer debug_* calls with \"method not found\" (a node without geth's debug API).") var noDebugApi = false
    @Flag(help: "Answer trace_* calls with \"method not found\" (a node without the parity trace API).") var noTraceApi = false

    func validate() throws {
        if replay != nil, seed != nil || blocks != nil {
            throw ValidationError("--replay cannot be combined with --seed/--blocks: choose replay or synthetic mode")
        }
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be between 0 and 65535, got \(port)") }
        guard (0...1).contains(errorRate) else { throw ValidationError("--error-rate must be between 0 and 1, got \(errorRate)") }
        guard (0...1).contains(dropConnections) else { throw ValidationError("--drop-connections must be between 0 and 1, got \(dropConnections)") }
        if let rateLimit, !(rateLimit > 0) { throw ValidationError("--rate-limit must be positive, got \(rateLimit)") }
        guard latencyMs >= 0 else { throw ValidationError("--latency-ms must not be negative, got \(latencyMs)") }
        guard batchLimit >= 1 else { throw ValidationError("--batch-limit must be at least 1, got \(batchLimit)") }
        guard responseSizeLimit >= 1 else { throw ValidationError("--response-size-limit must be at least 1, got \(responseSizeLimit)") }
        guard (0...100_000).contains(txsPerBlock) else { throw ValidationError("--txs-per-block must be between 0 and 100000, got \(txsPerBlock)") }
        if let blocks, blocks > (1 << 40) { throw ValidationError("--blocks must be at most 2^40, got \(blocks)") }
        guard blocksPerTimestamp >= 1 else { throw ValidationError("--blocks-per-timestamp must be at least 1, got \(blocksPerTimestamp)") }
        guard secondsPerBlock <= 1 << 30, genesisTimestamp <= 1 << 40 else {
            throw ValidationError("--seconds-per-block must be at most 2^30 and --genesis-timestamp at most 2^40")
        }
        if replay != nil, genesisTimestamp != 1_710_338_135 || secondsPerBlock != 12 || blocksPerTimestamp != 1 {
            throw ValidationError("--genesis-timestamp, --seconds-per-block and --blocks-per-timestamp apply to the synthetic chain, not --replay")
        }
        guard cacheBlocks >= 1 else { throw ValidationError("--cache-blocks must be at least 1, got \(cacheBlocks)") }
        guard logsMaxRange >= 1 else { throw ValidationError("--logs-max-range must be at least 1, got \(logsMaxRange)") }
        guard (0...256).contains(threads) else { throw ValidationError("--threads must be between 0 and 256, got \(threads)") }
        guard growPerSecond >= 0, growPerSecond.isFinite else { throw ValidationError("--grow-per-second must be ≥ 0, got \(growPerSecond)") }
        if replay != nil, head != nil || growPerSecond > 0 { throw ValidationError("--head and --grow-per-second apply to the synthetic chain, not --replay") }
        if replay != nil, noContractEvents { throw ValidationError("--no-contract-events applies to the synthetic chain, not --replay") }
        if replay != nil, precompute { throw ValidationError("--precompute applies to the synthetic chain; --replay serves recorded bytes already") }
        if let replay {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: replay, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("--replay: \(replay) is not a directory")
            }
        }
    }

    func makeConfiguration() -> DevChainConfiguration {
        let mode: DevChainConfiguration.Mode
        if let replay {
            mode = .replay(directory: replay)
        } else {
            mode = .synthetic(SyntheticChainParameters(
                seed: seed ?? 1, blockCount: blocks ?? 1000, transactionsPerBlock: txsPerBlock, chainID: chainId,
                genesisTimestamp: genesisTimestamp, secondsPerBlock: secondsPerBlock, blocksPerTimestamp: blocksPerTimestamp,
                contractEvents: !noContractEvents))
        }
        var configuration = DevChainConfiguration(
            host: host, port: port, mode: mode, errorRate: errorRate, rateLimit: rateLimit,
            latencyMilliseconds: latencyMs, lagBlocks: lagBlocks, dropConnectionRate: dropConnections,
            batchLimit: batchLimit, responseSizeLimit: responseSizeLimit, faultSeed: faultSeed,
            cacheBlocks: cacheBlocks, maxLogsBlockRange: logsMaxRange, threads: threads
        )
        configuration.startHead = head
        configuration.growPerSecond = growPerSecond
        configuration.precompute = precompute
        if noDebugApi { configuration.disabledNamespaces.insert("debug") }
        if noTraceApi { configuration.disabledNamespaces.insert("trace") }
        return configuration
    }

    func run() throws {
        MallocTuning.keepLargeBuffers()
        let server: DevChainServer
        do {
            server = try DevChainServer(configuration: makeConfiguration())
        } catch {
            FileHandle.standardError.write(Data("devchain: \(error.description)\n".utf8))
            throw ExitCode(2)
        }
        // Signals stop the listener; wait() then shuts down the event loops and we exit 0.
        signal(SIGTERM, SIG_IGN)
        signal(SIGINT, SIG_IGN)
        let signalQueue = DispatchQueue(label: "devchain.signals")
        let sources = [SIGTERM, SIGINT].map { sig in
            let source = DispatchSource.makeSignalSource(signal: sig, queue: signalQueue)
            source.setEventHandler { server.stop() }
            source.resume()
            return source
        }
        FileHandle.standardOutput.write(Data("devchain listening on \(host):\(server.port)\n".utf8))
        try server.wait()
        sources.forEach { $0.cancel() }
    }
}
