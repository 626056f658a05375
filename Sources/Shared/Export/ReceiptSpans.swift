// A block's receipts read into spans while their batch is read, for the CSV transcoder.

/// The result of `eth_getBlockReceipts`, read once — as `[RPCReceipt].read` reads it, but into
/// `JSONSpan`s over a copy of the value's bytes. Like `BlockSpans`, a value the span reading
/// gives up on is skipped and kept as `parsed == nil`.
struct ReceiptSpans: FastJSONDecodable, Sendable {
    struct Parsed: Sendable {
        var receipts: [SpanObject<ReceiptField>] = []
        /// Every receipt's logs in order; a receipt's `.logs` span gives its range here.
        var logs: [SpanObject<LogField>] = []
        /// Items of the logs' `topics`.
        var lists: [JSONSpan] = []
    }

    let bytes: [UInt8]
    let parsed: Parsed?

    static func read(from reader: inout FastJSONReader) throws(FastJSONReader.Unsupported) -> ReceiptSpans {
        let start = reader.offset
        do throws(FastJSONReader.Unsupported) {
            let (parsed, bytes) = try reader.readRebased(parse)
            return ReceiptSpans(bytes: [UInt8](bytes), parsed: parsed)
        } catch {
            try reader.skipValue(from: start)
            return ReceiptSpans(bytes: [], parsed: nil)
        }
    }

    /// Only the fast read makes these (see `BlockSpans.init(from:)`).
    init(from decoder: any Decoder) throws {
        throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                debugDescription: "receipt spans are only read by the fast JSON reader"))
    }

    private init(bytes: [UInt8], parsed: Parsed?) {
        self.bytes = bytes
        self.parsed = parsed
    }

    private static func parse(_ reader: inout FastJSONReader) throws(FastJSONReader.Unsupported) -> Parsed {
        var parsed = Parsed()
        if try reader.enterArray() {
            repeat {
                parsed.receipts.append(try readReceipt(&reader, into: &parsed))
            } while try reader.nextElement()
        }
        return parsed
    }

    private static func readReceipt(_ reader: inout FastJSONReader, into parsed: inout Parsed) throws(FastJSONReader.Unsupported) -> SpanObject<ReceiptField> {
        var receipt = SpanObject<ReceiptField>()
        if try reader.enterObject() {
            repeat {
                let key = try reader.key()
                guard let field = SpanObject<ReceiptField>.field(for: key) else {
                    try reader.skipValue()
                    continue
                }
                guard receipt[field].isAbsent else { throw FastJSONReader.Unsupported() }
                if field == .logs {
                    let start = parsed.logs.count
                    if try reader.enterArray() {
                        repeat {
                            parsed.logs.append(try readLog(&reader, into: &parsed))
                        } while try reader.nextElement()
                    }
                    receipt[field] = JSONSpan(items: start, count: parsed.logs.count - start)
                } else {
                    receipt[field] = try reader.stringMember(optional: field.isOptional)
                }
            } while try reader.nextMember()
        }
        try receipt.checkRequired()
        return receipt
    }

    private static func readLog(_ reader: inout FastJSONReader, into parsed: inout Parsed) throws(FastJSONReader.Unsupported) -> SpanObject<LogField> {
        var log = SpanObject<LogField>()
        if try reader.enterObject() {
            repeat {
                let key = try reader.key()
                guard let field = SpanObject<LogField>.field(for: key) else {
                    try reader.skipValue()
                    continue
                }
                guard log[field].isAbsent else { throw FastJSONReader.Unsupported() }
                if field == .topics {
                    log[field] = try reader.stringList(optional: false, into: &parsed.lists)
                } else {
                    log[field] = try reader.stringMember(optional: false)
                }
            } while try reader.nextMember()
        }
        try log.checkRequired()
        return log
    }
}
