// A trace_block result's rows: which member each column takes, by the trace's type.

import Foundation

extension TraceRows {
    /// `TraceFetcher.parityRecords`: checked to be the block's (no trace of another block, each
    /// trace's transaction the block's at its position), then each trace's cells as
    /// `TraceRecord(parity:)` sets them, completed.
    init(parity parsed: TraceSpans.Parsed, base: UnsafePointer<UInt8>, number: UInt64, transactionHashes hashes: [String]?) throws(Declined) {
        var rows: [TraceRow] = []
        rows.reserveCapacity(parsed.traces.count)
        for trace in parsed.traces {
            if let other = trace.blockNumber, other != number { throw Declined("block \(number): a trace of block \(other)") }
            if let hashes, !trace.transactionHash.isNull, let position = trace.transactionPosition {
                guard hashes.indices.contains(position), hashes[position].equalsIgnoringASCIICase(trace.transactionHash.bytes(in: base)) else {
                    throw Declined("block \(number): a trace names another transaction than the block's at its position")
                }
            }
            rows.append(TraceRow(parity: trace, base: base))
        }
        try self.init(rows: rows, addresses: parsed.addresses, base: base, number: number, completes: true)
    }
}

extension TraceRow {
    /// The cells `TraceRecord(parity:)` gives a trace of its type; null where the type sets nothing.
    init(parity trace: ParityTraceSpans, base: UnsafePointer<UInt8>) {
        blockNumber = trace.blockNumber
        transactionHash = TraceText(trace.transactionHash)
        transactionIndex = trace.transactionPosition
        subtraces = trace.subtraces
        addresses = trace.addresses ?? 0..<0
        // An empty error is no error.
        if trace.error.count > 0 { error = trace.error }
        traceType = TraceText(trace.type)
        let action = trace.action
        let result = trace.result
        let kind = ParityTraceKind(trace.type.isNull ? nil : trace.type.bytes(in: base))
        if kind == .call || kind == .create {
            from = action[.from]
            value = action[.value]
            gas = action[.gas]
            gasUsed = result[.gasUsed]
        }
        switch kind {
        case .call:
            callType = TraceText(action[.callType])
            to = action[.to]
            input = action[.input]
            output = result[.output]
        case .create:
            to = result[.address]
            lowercasesTo = false
            input = action[.initCode]
            output = result[.code]
            isCreation = true
        case .suicide:
            from = action[.address]
            to = action[.refundAddress]
            value = action[.balance]
        case .reward:
            to = action[.author]
            value = action[.value]
            rewardType = action[.rewardType]
        case .other:
            break
        }
    }
}

/// A parity trace's type, matched exactly (as `TraceRecord(parity:)` switches on it).
enum ParityTraceKind {
    case call, create, suicide, reward, other

    init(_ type: UnsafeBufferPointer<UInt8>?) {
        guard let type else { self = .other; return }
        if type.equals("call") {
            self = .call
        } else if type.equals("create") {
            self = .create
        } else if type.equals("suicide") {
            self = .suicide
        } else if type.equals("reward") {
            self = .reward
        } else {
            self = .other
        }
    }
}
