// A block's receipts read into spans while their batch is read, for the CSV transcoder.

/// The result of `eth_getBlockReceipts`, read once — as `[RPCReceipt].read` reads it, but into
/// `JSONSpan`s over the value's bytes. See `SpanResult`.
struct ReceiptSpans: SpanResult, Sendable {
    struct Parsed: Sendable {
        var receipts: [ReceiptObject] = []
        /// Every receipt's logs in order; a receipt's `.logs` span gives its range here.
        var logs: [LogObject] = []
        /// Items of the logs' `topics`.
        var lists: [JSONSpan] = []
    }

    let bytes: SpanBytes
    let parsed: Parsed?

    static func parse(_ reader: inout FastJSONReader) throws(FastJSONReader.Unsupported) -> Parsed {
        var parsed = Parsed()
        guard try reader.enterArray() else { return parsed }
        repeat {
            var receipt = ReceiptObject()
            try reader.readObject(into: &receipt) { field, reader throws(FastJSONReader.Unsupported) in
                guard field == .logs else { return nil }
                let start = parsed.logs.count
                if try reader.enterArray() {
                    repeat {
                        var log = LogObject()
                        try reader.readObject(into: &log) { field, reader throws(FastJSONReader.Unsupported) in
                            field == .topics ? try reader.stringList(optional: false, into: &parsed.lists) : nil
                        }
                        parsed.logs.append(log)
                    } while try reader.nextElement()
                }
                return JSONSpan(items: start, count: parsed.logs.count - start)
            }
            parsed.receipts.append(receipt)
        } while try reader.nextElement()
        return parsed
    }
}
