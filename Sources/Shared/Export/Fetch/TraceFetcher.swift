// Fetching a window's traces from whichever trace API the nodes offer, and its token metadata.

/// Fills `traces` and `contracts` of fetched bundles (and `tokens` when asked). With source
/// `auto`, the first window probes `trace_block` and falls back to geth's
/// `debug_traceBlockByNumber` on "method not found"; the answer is kept for every later window.
/// A node with neither fails at once with an error naming both, never a retry loop.
public struct TraceFetcher: Sendable {
    public let pool: NodePool
    public let configuration: TraceConfiguration
    let resolved: ResolvedTraceSource

    public init(pool: NodePool, configuration: TraceConfiguration = TraceConfiguration()) {
        self.pool = pool
        self.configuration = configuration
        resolved = ResolvedTraceSource(configuration.source == .auto ? nil : configuration.source)
    }

    /// The source in use, once known (for logs and tests).
    public func source() async -> TraceConfiguration.Source? { await resolved.value }

    public func attach(to bundles: inout [BlockBundle], range: ClosedRange<UInt64>, tokens: Bool) async throws {
        try await attach(to: &bundles, range: range, tokens: tokens, encoding: nil)
    }

    /// With `encoding`, the trace rows come back written in that format (`TraceTranscoder`) and
    /// the bundles get no `traces`, when the source is known and the window is the transcoder's;
    /// nil otherwise, with `traces` attached as records.
    @discardableResult
    func attach(to bundles: inout [BlockBundle], range: ClosedRange<UInt64>, tokens: Bool,
                encoding format: RowFormat?) async throws -> EncodedTraces? {
        let hashes = bundles.map(\.block.transactions.hashes)
        if let format, let encoded = try await encodedTraces(for: range, transactionHashes: hashes, format: format) {
            for index in bundles.indices { bundles[index].contracts = encoded.contracts[index] }
            if tokens { try await attachTokens(to: &bundles) }
            return encoded
        }
        let traces = try await traces(for: range, transactionHashes: hashes)
        for index in bundles.indices {
            bundles[index].traces = traces[index]
            bundles[index].contracts = ContractRecord.fromTraces(traces[index])
        }
        if tokens { try await attachTokens(to: &bundles) }
        return nil
    }

    /// The window's trace rows written from the trace answers' bytes, or nil for the record path
    /// to fetch and write: the source is not known yet (`auto` before its probe), the format is
    /// not one the transcoder writes, a batch the span reading cannot take, or a declined window
    /// (whose traces the node is then asked for again).
    func encodedTraces(for range: ClosedRange<UInt64>, transactionHashes: [[String]], format: RowFormat) async throws -> EncodedTraces? {
        guard TraceTranscoder.handles(format), let source = await resolved.value else { return nil }
        do {
            switch source {
            case .parity:
                let results = try await pool.call(range.map(RPCRequest.traceBlock), as: TraceSpans.self)
                return try TraceTranscoder.encode(results, range: range, transactionHashes: transactionHashes, format: format)
            case .geth:
                let traced = range.filter { $0 > 0 }
                let results = traced.isEmpty ? [] : try await pool.call(traced.map(RPCRequest.debugTraceBlock), as: GethTraceSpans.self)
                return try TraceTranscoder.encode(geth: results, range: range, transactionHashes: transactionHashes,
                                                  style: configuration.gethStyle, format: format)
            case .auto:
                return nil
            }
        } catch let error as RPCError where error.code == .malformedResponse {
            return nil
        } catch let declined as CSVTranscoder.Declined {
            pool.logger.debug("trace window left to the record path",
                              metadata: ["blocks": "\(range.lowerBound)-\(range.upperBound)", "reason": "\(declined.description)"])
            return nil
        }
    }

    /// The traces of each block of `range`. `transactionHashes` (each block's, in order) check
    /// geth's answer and complete its rows; without them geth rows take `txHash` from the answer.
    public func traces(for range: ClosedRange<UInt64>, transactionHashes: [[String]]? = nil) async throws -> [[TraceRecord]] {
        if let source = await resolved.value { return try await fetch(transactionHashes, range: range, from: source) }
        do {
            let traces = try await fetch(transactionHashes, range: range, from: .parity)
            await resolved.set(.parity)
            return traces
        } catch let error as RPCError where error.isMethodMissing {
            do {
                let traces = try await fetch(transactionHashes, range: range, from: .geth)
                await resolved.set(.geth)
                return traces
            } catch let error as RPCError where error.isMethodMissing {
                throw ExportError(.noTraceSource, block: range.lowerBound,
                                  "the nodes offer neither trace_block (Erigon, Nethermind, Reth) nor debug_traceBlockByNumber (geth): "
                                  + "enable the trace or debug API, or export without traces, contracts and tokens (\(error.message))")
            }
        }
    }

    func fetch(_ hashes: [[String]]?, range: ClosedRange<UInt64>, from source: TraceConfiguration.Source) async throws -> [[TraceRecord]] {
        switch source {
        case .parity, .auto:
            let answers = try await pool.call(range.map(RPCRequest.traceBlock), as: [RPCParityTrace].self)
            return try answers.enumerated().map { offset, traces throws(ExportError) in
                try Self.parityRecords(traces, block: range.lowerBound + UInt64(offset), transactionHashes: hashes?[offset])
            }
        case .geth:
            // geth refuses to trace the genesis block ("genesis is not traceable"): it has no rows.
            let traced = range.filter { $0 > 0 }
            let answers = traced.isEmpty ? [] : try await pool.call(traced.map(RPCRequest.debugTraceBlock), as: [RPCGethTransactionTrace].self)
            var byNumber: [UInt64: [RPCGethTransactionTrace]] = [:]
            for (number, answer) in zip(traced, answers) { byNumber[number] = answer }
            var result: [[TraceRecord]] = []
            for (offset, number) in range.enumerated() {
                guard let traces = byNumber[number] else { result.append([]); continue }
                result.append(try Self.gethRecords(traces, block: number, transactionHashes: hashes?[offset], style: configuration.gethStyle))
            }
            return result
        }
    }

    /// One block's `debug_traceBlockByNumber` answer as records, after checking it is that
    /// block's: one trace per transaction, each the block's at its position (`hashes`, which
    /// then complete the rows; without them rows take `txHash` from the answer).
    static func gethRecords(_ traces: [RPCGethTransactionTrace], block number: UInt64, transactionHashes hashes: [String]?,
                            style: TraceRecord.GethStyle) throws(ExportError) -> [TraceRecord] {
        var blockHashes = traces.map { $0.txHash ?? "" }
        if let hashes {
            guard traces.count == hashes.count else {
                throw ExportError(.transactionMismatch, block: number, field: "debug_traceBlockByNumber",
                                  "geth traced \(traces.count) transactions, the block has \(hashes.count)")
            }
            for (index, (trace, hash)) in zip(traces, hashes).enumerated() {
                if let traced = trace.txHash, !traced.equalsIgnoringASCIICase(hash) {
                    throw ExportError(.transactionMismatch, block: number, field: "[\(index)].txHash",
                                      "geth traced transaction \(traced) at position \(index), the block has \(hash)")
                }
            }
            blockHashes = hashes
        }
        return try TraceRecord.gethBlock(traces, block: number, transactionHashes: blockHashes, style: style)
    }

    /// One block's `trace_block` answer as records, after checking it is that block's: no trace
    /// of another block, and each trace's transaction the block's at its position (`hashes`).
    static func parityRecords(_ traces: [RPCParityTrace], block number: UInt64, transactionHashes hashes: [String]?) throws(ExportError) -> [TraceRecord] {
        if let other = traces.first(where: { $0.blockNumber != nil && $0.blockNumber != number }) {
            throw ExportError(.blockNumberMismatch, block: number, field: "blockNumber",
                              "trace_block(\(number)) answered a trace of block \(other.blockNumber!)")
        }
        if let hashes {
            // A trace naming another transaction than the block's at its position: a reorg
            // between the calls, or replicas on different forks. Retried, never written.
            for (index, trace) in traces.enumerated() {
                guard let hash = trace.transactionHash, let position = trace.transactionPosition else { continue }
                guard hashes.indices.contains(position), hashes[position].equalsIgnoringASCIICase(hash) else {
                    throw ExportError(.transactionMismatch, block: number, field: "[\(index)].transactionHash",
                                      "trace_block names transaction \(hash) at position \(position), which is not the block's")
                }
            }
        }
        return try TraceRecord.parityBlock(traces, block: number)
    }

    /// Token metadata for the ERC20/ERC721 contracts of the bundles: the seven calls of each
    /// token in one batch (failed calls give nil values, never a failed job).
    func attachTokens(to bundles: inout [BlockBundle]) async throws {
        var owners: [(bundle: Int, contract: ContractRecord)] = []
        for (index, bundle) in bundles.enumerated() {
            for contract in bundle.contracts ?? [] where (contract.isERC20 || contract.isERC721) && contract.address != nil {
                owners.append((index, contract))
            }
            bundles[index].tokens = []
        }
        let tokens = try await tokens(for: owners.map(\.contract))
        for (owner, token) in zip(owners, tokens) { bundles[owner.bundle].tokens!.append(token) }
    }

    /// The metadata of each contract (ethereum-etl's `EthTokenService.get_token`), at `latest` or
    /// at the contract's block as configured; the block number is the contract's.
    public func tokens(for contracts: [ContractRecord]) async throws -> [TokenRecord] {
        var calls: [RPCRequest] = []
        for contract in contracts {
            let block = configuration.tokenCallBlock == .created ? contract.blockNumber : nil
            calls += TokenRecord.Call.allCases.map { RPCRequest.call(to: contract.address ?? "", data: $0.data, at: block) }
        }
        guard !calls.isEmpty else { return [] }
        let answers = try await pool.callEach(calls, as: String.self)
        let perToken = TokenRecord.Call.allCases.count
        return contracts.enumerated().map { position, contract in
            var results: [TokenRecord.Call: [UInt8]] = [:]
            for (offset, call) in TokenRecord.Call.allCases.enumerated() {
                guard case .success(let hex) = answers[position * perToken + offset] else { continue }
                results[call] = EVMBytecode.bytes(hex.hasPrefix("0x") ? String(hex.dropFirst(2)) : hex)
            }
            return TokenRecord(address: contract.address ?? "", answers: results, blockNumber: contract.blockNumber)
        }
    }

    /// Contracts by address with their deployed code (`eth_getCode` at `latest`), as ethereum-etl's
    /// `export_contracts` reads them when no traces are at hand.
    public func contracts(at addresses: [String], blockNumber: UInt64? = nil) async throws -> [ContractRecord] {
        guard !addresses.isEmpty else { return [] }
        let codes = try await pool.call(addresses.map(RPCRequest.code), as: String.self)
        return zip(addresses, codes).map { ContractRecord(address: $0.asciiLowercased, bytecode: $1, blockNumber: blockNumber) }
    }
}

/// The trace source once probed, shared by every copy of a `TraceFetcher`.
actor ResolvedTraceSource {
    private(set) var value: TraceConfiguration.Source?

    init(_ value: TraceConfiguration.Source?) { self.value = value }

    func set(_ source: TraceConfiguration.Source) { value = source }
}
