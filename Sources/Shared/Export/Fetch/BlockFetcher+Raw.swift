// Fetching a window's results as spans, for the CSV transcoder.

extension BlockFetcher {
    /// The same block and `eth_getBlockReceipts` calls as `fetch`, results read into spans. No
    /// per-transaction receipt fallback: a node without `eth_getBlockReceipts` answers "method
    /// not found" here, and the exporter leaves such a range to `fetch`, which has the fallback.
    func fetchRaw(_ range: ClosedRange<UInt64>, needs: Needs) async throws -> RawWindow {
        let blocks = try await pool.call(range.map { RPCRequest.block($0, fullTransactions: needs.fullTransactions) }, as: BlockSpans.self)
        guard needs.receipts else { return RawWindow(blocks: blocks, receipts: nil) }
        let receipts = try await pool.call(range.map(RPCRequest.blockReceipts), as: ReceiptSpans.self)
        return RawWindow(blocks: blocks, receipts: receipts)
    }
}
