// Traces: one row per TraceRecord of the block, in ethereum-etl's `trace_to_dict` value text.

/// The block's traces as fetched (either source); rows in the node's order.
public struct TraceMapper: EntityMapper {
    public let entity = ExportEntity.traces

    public init() {}

    public func rows(from bundle: BlockBundle) throws(ExportError) -> [ExportRow] {
        let number = try bundle.number()
        guard let traces = bundle.traces else {
            throw ExportError(.missingField, block: number, field: "traces", "traces were not fetched for this block")
        }
        return try traces.map { trace throws(ExportError) in try row(trace, block: number) }
    }

    public func row(_ trace: TraceRecord, block: UInt64?) throws(ExportError) -> ExportRow {
        var row = RowBuilder(.traces, block: block)
        row.set("block_number", trace.blockNumber.map { .number(String($0)) } ?? .null)
        row.text("transaction_hash", trace.transactionHash)
        row.set("transaction_index", trace.transactionIndex.map { .number(String($0)) } ?? .null)
        row.text("from_address", trace.fromAddress)
        row.text("to_address", trace.toAddress)
        row.set("value", trace.value.map(ExportValue.number) ?? .null)
        row.text("input", trace.input)
        row.text("output", trace.output)
        row.text("trace_type", trace.traceType)
        row.text("call_type", trace.callType)
        row.text("reward_type", trace.rewardType)
        row.set("gas", trace.gas.map(ExportValue.number) ?? .null)
        row.set("gas_used", trace.gasUsed.map(ExportValue.number) ?? .null)
        row.set("subtraces", trace.subtraces.map { .number(String($0)) } ?? .null)
        row.set("trace_address", trace.traceAddress.map { .numbers($0.map(String.init)) } ?? .null)
        row.text("error", trace.error)
        row.set("status", trace.status.map { .number(String($0)) } ?? .null)
        row.text("trace_id", trace.traceID)
        return try row.row()
    }
}
