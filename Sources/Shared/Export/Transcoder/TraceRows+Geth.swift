// A debug_traceBlockByNumber result's rows: each frame's cells, by its type.

import Foundation

extension TraceRows {
    /// `TraceFetcher`'s checks of geth's answer (one trace per transaction of the block, each the
    /// block's at its position), then `TraceRecord.gethBlock`'s rows, completed in `.complete`
    /// style with the block's transaction hashes (or, without them, the answer's).
    init(geth parsed: GethTraceSpans.Parsed, base: UnsafePointer<UInt8>, number: UInt64, transactionHashes hashes: [String]?,
         style: TraceRecord.GethStyle) throws(Declined) {
        let transactions = parsed.transactions
        if let hashes {
            guard transactions.count == hashes.count else { throw Declined("block \(number): geth traced another number of transactions") }
            for (transaction, hash) in zip(transactions, hashes) where !transaction.txHash.isNull {
                guard hash.equalsIgnoringASCIICase(transaction.txHash.bytes(in: base)) else {
                    throw Declined("block \(number): geth traced another transaction than the block's")
                }
            }
        }
        var rows: [TraceRow] = []
        rows.reserveCapacity(parsed.frames.count)
        for (position, transaction) in transactions.enumerated() {
            guard let frames = transaction.frames else { throw Declined("block \(number): geth could not trace a transaction") }
            var hash = TraceText.null
            if style == .complete {
                if let hashes {
                    hash = hashes[position].isEmpty ? .null : .text(hashes[position])
                } else if transaction.txHash.count > 0 {
                    hash = .span(transaction.txHash)
                }
            }
            for index in frames {
                var row = try TraceRow(geth: parsed.frames[index], base: base, number: number)
                row.transactionIndex = position
                row.transactionHash = hash
                rows.append(row)
            }
        }
        try self.init(rows: rows, addresses: parsed.addresses, base: base, number: number, completes: style == .complete)
    }
}

extension TraceRow {
    /// The cells `TraceRecord.gethBlock` gives a frame; a frame without a type, or of a type
    /// other than geth's seven, declines.
    init(geth frame: GethFrameSpans, base: UnsafePointer<UInt8>, number: UInt64) throws(CSVTranscoder.Declined) {
        let members = frame.members
        blockNumber = number
        from = members[.from]
        to = members[.to]
        input = members[.input]
        output = members[.output]
        value = members[.value]
        gas = members[.gas]
        gasUsed = members[.gasUsed]
        error = members[.error]
        subtraces = frame.calls
        addresses = frame.addresses
        guard !members[.type].isNull else { throw CSVTranscoder.Declined("block \(number): a frame without a type") }
        switch GethFrameKind(members[.type].bytes(in: base)) {
        case .call(let word):
            traceType = .literal("call")
            callType = .literal(word)
        case .create:
            traceType = .literal("create")
            isCreation = true
        case .create2:
            traceType = .literal("create2")
            isCreation = true
        case .selfdestruct:
            traceType = .literal("suicide")
        case nil:
            throw CSVTranscoder.Declined("block \(number): a frame of another type")
        }
    }
}

/// A callTracer frame's type, in any case (as `TraceRecord.gethBlock` lower-cases it).
enum GethFrameKind {
    case call(StaticString), create, create2, selfdestruct

    init?(_ type: UnsafeBufferPointer<UInt8>) {
        guard type.count <= 16 else { return nil }
        var lowered = (UInt64(0), UInt64(0))
        let matched: GethFrameKind? = withUnsafeMutableBytes(of: &lowered) { buffer in
            for index in type.indices { buffer[index] = type[index].asciiLowercased }
            let word = UnsafeBufferPointer(start: buffer.baseAddress!.assumingMemoryBound(to: UInt8.self), count: type.count)
            if word.equals("call") { return .call("call") }
            if word.equals("staticcall") { return .call("staticcall") }
            if word.equals("delegatecall") { return .call("delegatecall") }
            if word.equals("callcode") { return .call("callcode") }
            if word.equals("create") { return .create }
            if word.equals("create2") { return .create2 }
            if word.equals("selfdestruct") { return .selfdestruct }
            return nil
        }
        guard let matched else { return nil }
        self = matched
    }
}
