// Fetching a window of blocks, and their receipts when needed, through the node pool.

/// Asks the pool for exactly what the requested entities need: header-only blocks when no
/// transaction-level entity is exported, receipts only for receipts/logs/token transfers, and
/// `eth_getBlockReceipts` with a per-transaction `eth_getTransactionReceipt` fallback for nodes
/// without it; traces (and token metadata) only for traces, contracts and tokens.
public struct BlockFetcher: Sendable {
    public let pool: NodePool
    public let traces: TraceFetcher

    public init(pool: NodePool, traces: TraceConfiguration = TraceConfiguration()) {
        self.pool = pool
        self.traces = TraceFetcher(pool: pool, configuration: traces)
    }

    public struct Needs: Sendable, Equatable {
        public var fullTransactions: Bool
        public var receipts: Bool
        public var traces: Bool = false
        public var tokens: Bool = false

        public init(entities: [ExportEntity]) {
            fullTransactions = entities.contains { ![.blocks, .traces, .contracts, .tokens].contains($0) }
            receipts = entities.contains(where: ExportMapper.needsReceipts)
            traces = entities.contains(where: ExportMapper.needsTraces)
            tokens = entities.contains(.tokens)
        }
    }

    public func fetch(_ range: ClosedRange<UInt64>, needs: Needs) async throws -> [BlockBundle] {
        try await fetch(range, needs: needs, encodingTraces: nil).bundles
    }

    /// `encodingTraces`: the trace rows written in that format when they can be
    /// (`TraceFetcher.attach(to:range:tokens:encoding:)`), the bundles then without `traces`.
    func fetch(_ range: ClosedRange<UInt64>, needs: Needs, encodingTraces format: RowFormat?) async throws -> (bundles: [BlockBundle], traces: EncodedTraces?) {
        let blocks = try await pool.call(range.map { RPCRequest.block($0, fullTransactions: needs.fullTransactions) }, as: RPCBlock.self)
        var bundles = try await withReceipts(blocks, range: range, needs: needs)
        guard needs.traces else { return (bundles, nil) }
        let encoded = try await traces.attach(to: &bundles, range: range, tokens: needs.tokens, encoding: format)
        return (bundles, encoded)
    }

    private func withReceipts(_ blocks: [RPCBlock], range: ClosedRange<UInt64>, needs: Needs) async throws -> [BlockBundle] {
        guard needs.receipts else { return blocks.map { BlockBundle(block: $0) } }
        let receipts: [[RPCReceipt]]
        do {
            receipts = try await pool.call(range.map(RPCRequest.blockReceipts), as: [RPCReceipt].self)
        } catch let error as RPCError where error.isMethodMissing {
            receipts = try await receiptsOneByOne(blocks, range: range)
        }
        return zip(blocks, receipts).map { BlockBundle(block: $0, receipts: $1) }
    }

    /// The fallback: one `eth_getTransactionReceipt` per transaction, batched across the window.
    private func receiptsOneByOne(_ blocks: [RPCBlock], range: ClosedRange<UInt64>) async throws -> [[RPCReceipt]] {
        var calls: [RPCRequest] = []
        var counts: [Int] = []
        for (offset, block) in blocks.enumerated() {
            let hashes = block.transactions.hashes
            counts.append(hashes.count)
            let number = range.lowerBound + UInt64(offset)
            calls += hashes.map { RPCRequest.transactionReceipt($0, block: number) }
        }
        let flat = try await pool.call(calls, as: RPCReceipt.self)
        var result: [[RPCReceipt]] = []
        var start = 0
        for count in counts {
            result.append(Array(flat[start..<start + count]))
            start += count
        }
        return result
    }
}
