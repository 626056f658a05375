// Trace rows written straight into CSV or JSON-lines bytes, the same bytes as row(_:) and the writers.

/// Why: a block has ~140 traces, and each row through `RowBuilder` → `ExportRow` → the writer
/// made an array of 18 `ExportValue`s, a `String` per number and a list per `trace_address`,
/// checked every column name and switched on every cell again to write it (measured ~8 % of an
/// eight-entity export). `encode` writes each cell with the functions the writers use for the
/// value `row(_:block:)` gives it, so the bytes are the same; `TraceEncodingTests` compares them.
extension TraceMapper {
    /// The columns `encode` writes, in order. `encodes` is false (and the exporter maps rows as
    /// before) if the column table ever says otherwise.
    static let encodedColumns = [
        "block_number", "transaction_hash", "transaction_index", "from_address", "to_address", "value", "input", "output",
        "trace_type", "call_type", "reward_type", "gas", "gas_used", "subtraces", "trace_address", "error", "status", "trace_id",
    ]
    static let encodes = EntityColumns.of(.traces).names == encodedColumns
    /// `{"name": ` and `, "name": ` before each JSON cell, as `JSONLinesRowWriter` separates them.
    static let jsonKeys = JSONCell.keys(.traces)

    /// Appends the rows of `traces` in `format` (CSV without header, or JSON lines); false, with
    /// nothing appended, for another format or when the table's columns are not `encodedColumns`.
    static func encode(_ traces: [TraceRecord], format: RowFormat, to out: inout [UInt8]) -> Bool {
        guard encodes, format == .csv || format == .json else { return false }
        let keys = format == .json ? jsonKeys : nil
        // Rows read in place: taking each record out of the array copied (retained) 13 fields.
        traces.withUnsafeBufferPointer { records in
            for index in records.indices {
                encode(records[index], keys: keys, to: &out)
            }
        }
        return true
    }

    /// One row: CSV when `keys` is nil, else a JSON line.
    private static func encode(_ trace: borrowing TraceRecord, keys: [[UInt8]]?, to out: inout [UInt8]) {
        var cells = TraceLineCells(keys: keys)
        cells.unsigned(trace.blockNumber, &out)
        cells.text(trace.transactionHash, &out)
        cells.integer(trace.transactionIndex, &out)
        cells.text(trace.fromAddress, &out)
        cells.text(trace.toAddress, &out)
        cells.number(trace.value, &out)
        cells.text(trace.input, &out)
        cells.text(trace.output, &out)
        cells.text(trace.traceType, &out)
        cells.text(trace.callType, &out)
        cells.text(trace.rewardType, &out)
        cells.number(trace.gas, &out)
        cells.number(trace.gasUsed, &out)
        cells.integer(trace.subtraces, &out)
        cells.integers(trace.traceAddress, &out)
        cells.text(trace.error, &out)
        cells.integer(trace.status, &out)
        cells.text(trace.traceID, &out)
        cells.end(&out)
    }
}
