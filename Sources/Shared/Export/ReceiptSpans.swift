// A block's receipts read into spans while their batch is read, for the CSV transcoder.

/// The result of `eth_getBlockReceipts`, read once — as `[RPCReceipt].read` reads it, but into
/// `JSONSpan`s over the value's bytes (a slice of the response, not a copy). Like `BlockSpans`, a value the span reading
/// gives up on is skipped and kept as `parsed == nil`.
struct ReceiptSpans: FastJSONDecodable, Sendable {
    struct Parsed: Sendable {
        var receipts: [ReceiptObject] = []
        /// Every receipt's logs in order; a receipt's `.logs` span gives its range here.
        var logs: [LogObject] = []
        /// Items of the logs' `topics`.
        var lists: [JSONSpan] = []
    }

    let bytes: SpanBytes
    let parsed: Parsed?

    static func read(from reader: inout FastJSONReader) throws(FastJSONReader.Unsupported) -> ReceiptSpans {
        let start = reader.offset
        do throws(FastJSONReader.Unsupported) {
            let (parsed, bytes) = try reader.readRebased(parse)
            return ReceiptSpans(bytes: bytes, parsed: parsed)
        } catch {
            try reader.skipValue(from: start)
            return ReceiptSpans(bytes: .empty, parsed: nil)
        }
    }

    /// Only the fast read makes these (see `BlockSpans.init(from:)`).
    init(from decoder: any Decoder) throws {
        throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                debugDescription: "receipt spans are only read by the fast JSON reader"))
    }

    private init(bytes: SpanBytes, parsed: Parsed?) {
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

    private static func readReceipt(_ reader: inout FastJSONReader, into parsed: inout Parsed) throws(FastJSONReader.Unsupported) -> ReceiptObject {
        var receipt = ReceiptObject()
        if try reader.enterObject() {
            repeat {
                let key = try reader.key()
                guard let field = ReceiptObject.field(for: key) else {
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

    private static func readLog(_ reader: inout FastJSONReader, into parsed: inout Parsed) throws(FastJSONReader.Unsupported) -> LogObject {
        var log = LogObject()
        if try reader.enterObject() {
            repeat {
                let key = try reader.key()
                guard let field = LogObject.field(for: key) else {
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
