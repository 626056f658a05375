// The fetch-and-discard ceiling: the export's RPC calls with no decoding, mapping or writing.

/// Sends the same batched calls as `RangeExporter` — blocks, then receipts, then traces when the
/// entities need them, per window, with the same windows in flight over the same connections —
/// and throws the bytes away. What it reaches is the most any exporter could do against that node
/// from this machine. Not sent: the calls tokens and contracts make per contract found (their
/// addresses come from parsed traces).
public struct FetchCeiling: Sendable {
    public let transport: JSONRPCTransport
    public let endpoints: [RPCEndpoint]
    public let batchSize: Int
    public let windowSize: Int
    public let windowsInFlight: Int

    public init(transport: JSONRPCTransport, endpoints: [RPCEndpoint], batchSize: Int, windowSize: Int, windowsInFlight: Int) {
        self.transport = transport
        self.endpoints = endpoints
        self.batchSize = max(1, batchSize)
        self.windowSize = max(1, windowSize)
        self.windowsInFlight = max(1, windowsInFlight)
    }

    /// Returns the bytes received. Traces come from `debug_traceBlockByNumber` when
    /// `traceSource` is `.geth`, else from `trace_block` (what `.auto` tries first).
    public func run(_ range: ClosedRange<UInt64>, needs: BlockFetcher.Needs, traceSource: TraceConfiguration.Source = .auto) async throws -> Int {
        let windows = stride(from: range.lowerBound, through: range.upperBound, by: windowSize).map {
            $0...min($0 + UInt64(windowSize) - 1, range.upperBound)
        }
        return try await withThrowingTaskGroup(of: Int.self) { group in
            var next = 0
            var total = 0
            func launch() {
                guard next < windows.count else { return }
                let window = windows[next]
                let endpoint = endpoints[next % endpoints.count]
                next += 1
                group.addTask {
                    var bytes = 0
                    var calls = window.map { RPCRequest.block($0, fullTransactions: needs.fullTransactions) }
                    if needs.receipts { calls += window.map(RPCRequest.blockReceipts) }
                    if needs.traces { calls += window.map(traceSource == .geth ? RPCRequest.debugTraceBlock : RPCRequest.traceBlock) }
                    var start = 0
                    while start < calls.count {
                        let chunk = Array(calls[start..<min(start + batchSize, calls.count)])
                        bytes += try await transport.sendRaw(chunk, to: endpoint).readableBytes
                        start += chunk.count
                    }
                    return bytes
                }
            }
            for _ in 0..<windowsInFlight { launch() }
            while let bytes = try await group.next() {
                total += bytes
                launch()
            }
            return total
        }
    }
}
