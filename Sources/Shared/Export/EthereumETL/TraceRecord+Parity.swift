// ethereum-etl's `json_dict_to_trace`: a parity-style trace into a TraceRecord.

extension TraceRecord {
    /// Mirrors `EthTraceMapper.json_dict_to_trace`, field for field: which fields each trace type
    /// sets, which addresses are lower-cased (a create's new address is not), an error only when
    /// non-empty, and a missing `traceAddress` read as `[]`.
    public init(parity trace: RPCParityTrace, path: String = "") throws(ExportError) {
        try self.init(parity: trace, path: { path })
    }

    /// `path` is built only for an error: a string per trace (and one per quantity) was a
    /// measurable part of reading a block's traces.
    init(parity trace: RPCParityTrace, path: () -> String) throws(ExportError) {
        self.init(blockNumber: trace.blockNumber)
        let block = trace.blockNumber
        transactionHash = trace.transactionHash
        transactionIndex = trace.transactionPosition
        subtraces = trace.subtraces
        traceAddress = trace.traceAddress ?? []
        if let error = trace.error, !error.isEmpty { self.error = error }
        let action = trace.action ?? RPCParityTrace.Action()
        let result = trace.result ?? RPCParityTrace.Result()
        traceType = trace.type

        func decimal(_ hex: String?, _ field: String) throws(ExportError) -> String? {
            guard let hex else { return nil }
            if let decimal = HexText.decimal(hex) { return decimal }
            return try HexText.requireDecimal(hex, block: block, field: path() + field)
        }
        switch trace.type ?? "" {
        case "call", "create":
            fromAddress = action.from?.asciiLowercased
            value = try decimal(action.value, "action.value")
            gas = try decimal(action.gas, "action.gas")
            gasUsed = try decimal(result.gasUsed, "result.gasUsed")
        default:
            break
        }
        switch trace.type ?? "" {
        case "call":
            callType = action.callType
            toAddress = action.to?.asciiLowercased
            input = action.input
            output = result.output
        case "create":
            toAddress = result.address
            input = action.`init`
            output = result.code
        case "suicide":
            fromAddress = action.address?.asciiLowercased
            toAddress = action.refundAddress?.asciiLowercased
            value = try decimal(action.balance, "action.balance")
        case "reward":
            toAddress = action.author?.asciiLowercased
            value = try decimal(action.value, "action.value")
            rewardType = action.rewardType
        default:
            break
        }
    }

    /// `trace_block`'s answer for one block, as ethereum-etl's `ExportTracesJob` exports it:
    /// mapped in node order, then statuses and ids calculated over the block.
    public static func parityBlock(_ traces: [RPCParityTrace], block: UInt64) throws(ExportError) -> [TraceRecord] {
        var records: [TraceRecord] = []
        records.reserveCapacity(traces.count)
        try traces.withUnsafeBufferPointer { traces throws(ExportError) in
            for index in traces.indices {
                records.append(try TraceRecord(parity: traces[index], path: { "[\(index)]." }))
            }
        }
        try TraceStatusCalculator.apply(&records, block: block)
        TraceIDCalculator.apply(&records)
        return records
    }
}
