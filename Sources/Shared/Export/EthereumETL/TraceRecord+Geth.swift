// ethereum-etl's `geth_trace_to_traces`: geth callTracer frames flattened into TraceRecords.

extension TraceRecord {
    /// How rows from geth's callTracer are completed.
    public enum GethStyle: String, Sendable, CaseIterable {
        /// Also fill `transaction_hash` (from the block), `status` and `trace_id` with ethereum-etl's
        /// own calculators, as its parity path does, so geth rows carry the same columns as parity
        /// rows and contracts can be found in them (ethereum-etl keeps only `status` 1 creations).
        case complete
        /// Exactly what ethereum-etl's `extract_geth_traces` writes: those three columns empty.
        case ethereumETL = "ethereum-etl"
    }

    /// One block's `debug_traceBlockByNumber` answer: each transaction's frame tree, depth first,
    /// with `trace_address` as the path of call indexes, as `_iterate_transaction_trace` does.
    /// `transactionHashes` are the block's transactions in order (for `.complete`).
    public static func gethBlock(_ traces: [RPCGethTransactionTrace], block: UInt64, transactionHashes: [String],
                                 style: GethStyle) throws(ExportError) -> [TraceRecord] {
        var records: [TraceRecord] = []
        for (index, trace) in traces.enumerated() {
            guard let frame = trace.result else {
                throw ExportError(.rpcError, block: block, field: "[\(index)].result",
                                  "geth could not trace transaction \(index): \(trace.error ?? "no result")")
            }
            try flatten(frame, block: block, transactionIndex: index, into: &records)
        }
        guard style == .complete else { return records }
        for index in records.indices {
            let position = records[index].transactionIndex ?? -1
            guard transactionHashes.indices.contains(position) else {
                throw ExportError(.transactionMismatch, block: block, field: "[\(position)]",
                                  "geth traced \(traces.count) transactions but the block has \(transactionHashes.count)")
            }
            let hash = transactionHashes[position]
            records[index].transactionHash = hash.isEmpty ? nil : hash
        }
        try TraceStatusCalculator.apply(&records, block: block)
        TraceIDCalculator.apply(&records)
        return records
    }

    /// One transaction's frames, depth first, without recursion: frames still to visit wait on an
    /// explicit stack (children pushed in reverse), so a call 1024 deep costs heap, not stack.
    private static func flatten(_ root: RPCGethCallFrame, block: UInt64, transactionIndex: Int,
                                into records: inout [TraceRecord]) throws(ExportError) {
        var pending: [(frame: RPCGethCallFrame, traceAddress: [Int])] = [(root, [])]
        while let next = pending.popLast() {
            let (frame, traceAddress) = next
            let calls = try record(frame, block: block, transactionIndex: transactionIndex, traceAddress: traceAddress, into: &records)
            for index in calls.indices.reversed() {
                var address = traceAddress
                address.append(index)
                pending.append((calls[index], address))
            }
        }
    }

    /// A frame's type lower-cased; geth's usual upper-case types map to literals, sparing a new
    /// string per frame.
    @inline(__always)
    private static func lowercasedType(_ type: String) -> String {
        switch type {
        case "CALL": "call"
        case "STATICCALL": "staticcall"
        case "DELEGATECALL": "delegatecall"
        case "CREATE": "create"
        case "CREATE2": "create2"
        case "SELFDESTRUCT": "selfdestruct"
        case "CALLCODE": "callcode"
        default: type.asciiLowercased
        }
    }

    /// Appends the row of one frame and returns its calls.
    private static func record(_ frame: RPCGethCallFrame, block: UInt64, transactionIndex: Int, traceAddress: [Int],
                               into records: inout [TraceRecord]) throws(ExportError) -> [RPCGethCallFrame] {
        // The JSON path of the frame, built only for an error: `[2].result.calls[0].calls[1].`.
        func path(_ field: String) -> String {
            traceAddress.reduce("[\(transactionIndex)].result.") { $0 + "calls[\($1)]." } + field
        }
        var trace = TraceRecord(blockNumber: block)
        trace.transactionIndex = transactionIndex
        trace.fromAddress = frame.from?.asciiLowercased
        trace.toAddress = frame.to?.asciiLowercased
        trace.input = frame.input
        trace.output = frame.output
        func decimal(_ hex: String?, _ field: String) throws(ExportError) -> String? {
            guard let hex else { return nil }
            guard let decimal = HexText.decimal(hex) else {
                throw ExportError(.malformedHex, block: block, field: path(field), "'\(hex)' is not a hex quantity")
            }
            return decimal
        }
        trace.value = try decimal(frame.value, "value")
        trace.gas = try decimal(frame.gas, "gas")
        trace.gasUsed = try decimal(frame.gasUsed, "gasUsed")
        trace.error = frame.error
        guard let type = frame.type.map(lowercasedType) else {
            throw ExportError(.missingField, block: block, field: path("type"), "a callTracer frame has no type")
        }
        switch type {
        case "selfdestruct":
            trace.traceType = "suicide"
        case "call", "callcode", "delegatecall", "staticcall":
            trace.callType = type
            trace.traceType = "call"
        default:
            trace.traceType = type
        }
        let calls = frame.calls ?? []
        trace.subtraces = calls.count
        trace.traceAddress = traceAddress
        records.append(trace)
        return calls
    }
}
