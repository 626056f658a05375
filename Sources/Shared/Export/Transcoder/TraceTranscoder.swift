// Trace rows written straight from trace_block's or debug_traceBlockByNumber's bytes, with the contracts found in them.

import Foundation

/// Writes a window's trace rows (CSV without header, or JSON lines) from the spans of its
/// `trace_block` or `debug_traceBlockByNumber` results, with ethereum-etl's statuses and trace
/// ids, and finds its contracts.
///
/// Why: the record path decodes every member of ~140 traces a block into a `String`, copies them
/// into `TraceRecord`s, builds an id string per trace and then writes them out: allocation,
/// reference counting and the copies were about a fifth of an eight-entity export's CPU.
///
/// Like `CSVTranscoder`, an optimisation and never a second opinion: it writes the bytes
/// `TraceRecord.parityBlock` (or `gethBlock`) → `TraceMapper.encode` write, and the contracts
/// `ContractRecord.fromTraces` finds, for what it accepts. Anything else — a result the span
/// reading gave up on, a trace of another block or transaction, a transaction whose traces are
/// not together, a trace without its parent, malformed hex, an unknown frame type — declines the
/// window, which the exporter then fetches and writes through the record path, so every error
/// stays that path's.
enum TraceTranscoder {
    typealias Declined = CSVTranscoder.Declined

    /// Whether rows in `format` can be written this way.
    static func handles(_ format: RowFormat) -> Bool {
        TraceMapper.encodes && (format == .csv || format == .json)
    }

    /// The rows of the blocks of `range`, one `trace_block` result each. `transactionHashes`
    /// (each block's, in order) are checked as `TraceFetcher` checks them.
    static func encode(_ results: [TraceSpans], range: ClosedRange<UInt64>, transactionHashes: [[String]]?,
                       format: RowFormat) throws(Declined) -> EncodedTraces {
        guard results.count == range.count else { throw Declined("\(results.count) trace results for \(range.count) blocks") }
        return try encode(range, format: format) { offset, number, encoded throws(Declined) in
            guard let parsed = results[offset].parsed else { throw Declined("block \(number): traces left to the record path") }
            guard !parsed.traces.isEmpty else { return nil }
            return try results[offset].bytes.withBytes { bytes throws(Declined) in
                guard let base = bytes.baseAddress else { throw Declined("empty trace result") }
                return try encoded(TraceRows(parity: parsed, base: base, number: number, transactionHashes: transactionHashes?[offset]))
            }
        }
    }

    /// The rows of the blocks of `range` from one `debug_traceBlockByNumber` result each, block 0
    /// excepted (geth does not trace genesis: it has no rows). `transactionHashes` (each block's,
    /// in order) are checked and complete the rows as `TraceFetcher` does.
    static func encode(geth results: [GethTraceSpans], range: ClosedRange<UInt64>, transactionHashes: [[String]]?,
                       style: TraceRecord.GethStyle, format: RowFormat) throws(Declined) -> EncodedTraces {
        let traced = range.lowerBound == 0 ? range.count - 1 : range.count
        guard results.count == traced else { throw Declined("\(results.count) trace results for \(traced) blocks") }
        return try encode(range, format: format) { offset, number, encoded throws(Declined) in
            guard number > 0 else { return nil }
            let result = results[range.lowerBound == 0 ? offset - 1 : offset]
            guard let parsed = result.parsed else { throw Declined("block \(number): traces left to the record path") }
            return try result.bytes.withBytes { bytes throws(Declined) in
                // An empty list is `[]`: two bytes.
                guard let base = bytes.baseAddress else { throw Declined("empty trace result") }
                return try encoded(TraceRows(geth: parsed, base: base, number: number, transactionHashes: transactionHashes?[offset], style: style))
            }
        }
    }

    /// Runs `block` for each block of `range` (with its offset); it returns the block's rows
    /// through the function it is given, or nil when the block has none.
    private static func encode(
        _ range: ClosedRange<UInt64>, format: RowFormat,
        _ block: (Int, UInt64, (TraceRows) throws(Declined) -> [ContractRecord]) throws(Declined) -> [ContractRecord]?
    ) throws(Declined) -> EncodedTraces {
        guard handles(format) else { throw Declined("trace rows in \(format) are the record path's") }
        let keys = format == .json ? TraceMapper.jsonKeys : nil
        var encoded = EncodedTraces(rows: [], count: 0, contracts: [])
        for (offset, number) in range.enumerated() {
            let contracts = try block(offset, number) { rows throws(Declined) in
                try rows.write(keys: keys, to: &encoded.rows)
                encoded.count += rows.count
                return rows.contracts()
            }
            encoded.contracts.append(contracts ?? [])
        }
        return encoded
    }
}

/// A window's trace rows in the export's line format, and the contracts of each block.
struct EncodedTraces: Sendable {
    var rows: [UInt8]
    var count: Int
    var contracts: [[ContractRecord]]
}
