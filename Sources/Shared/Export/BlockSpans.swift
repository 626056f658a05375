// A block result read into spans while its batch is read, for the CSV transcoder.

/// The result of `eth_getBlockByNumber`, read once — as `RPCBlock.read` reads it, but into
/// `JSONSpan`s over the value's bytes (a slice of the response, not a copy) instead of a `String` per field.
///
/// A value the strict span reading gives up on (escapes, non-ASCII, a missing field) is still
/// skipped and validated, so the batch stays readable; it is kept as `parsed == nil`, and the
/// transcoder leaves that window to the decoding path.
struct BlockSpans: FastJSONDecodable, Sendable {
    struct Parsed: Sendable {
        var header = BlockObject()
        /// Full transactions (`isFull`) or, for a header-only block, the transaction hashes.
        var transactions: [TransactionObject] = []
        var transactionHashes: [JSONSpan] = []
        var isFull = false
        /// Items of the transactions' `blobVersionedHashes`.
        var lists: [JSONSpan] = []
        var withdrawals: [RPCWithdrawal]?

        var transactionCount: Int { isFull ? transactions.count : transactionHashes.count }

        /// The hash of transaction `index`, whichever form was fetched.
        func transactionHash(_ index: Int) -> JSONSpan {
            isFull ? transactions[index][.hash] : transactionHashes[index]
        }
    }

    let bytes: SpanBytes
    let parsed: Parsed?

    static func read(from reader: inout FastJSONReader) throws(FastJSONReader.Unsupported) -> BlockSpans {
        let start = reader.offset
        do throws(FastJSONReader.Unsupported) {
            let (parsed, bytes) = try reader.readRebased(parse)
            return BlockSpans(bytes: bytes, parsed: parsed)
        } catch {
            try reader.skipValue(from: start)
            return BlockSpans(bytes: .empty, parsed: nil)
        }
    }

    /// Only the fast read makes these: a batch it cannot read at all fails as malformed, and the
    /// exporter then leaves the rest of the range to the decoding path.
    init(from decoder: any Decoder) throws {
        throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                debugDescription: "block spans are only read by the fast JSON reader"))
    }

    private init(bytes: SpanBytes, parsed: Parsed?) {
        self.bytes = bytes
        self.parsed = parsed
    }

    private static func parse(_ reader: inout FastJSONReader) throws(FastJSONReader.Unsupported) -> Parsed {
        var block = Parsed()
        if try reader.enterObject() {
            repeat {
                let key = try reader.key()
                guard let field = BlockObject.field(for: key) else {
                    try reader.skipValue()
                    continue
                }
                guard block.header[field].isAbsent else { throw FastJSONReader.Unsupported() }
                switch field {
                case .transactions:
                    try readTransactions(&reader, into: &block)
                    block.header[field] = JSONSpan(items: 0, count: block.transactionCount)
                case .withdrawals:
                    var list: [RPCWithdrawal]?? = nil
                    try reader.optional(&list)
                    block.withdrawals = list ?? nil
                    block.header[field] = block.withdrawals.map { JSONSpan(items: 0, count: $0.count) } ?? .null
                default:
                    block.header[field] = try reader.stringMember(optional: field.isOptional)
                }
            } while try reader.nextMember()
        }
        try block.header.checkRequired()
        return block
    }

    /// Full objects or hashes; the first element decides, as in `RPCBlockTransactions.read`.
    private static func readTransactions(_ reader: inout FastJSONReader, into block: inout Parsed) throws(FastJSONReader.Unsupported) {
        guard try reader.enterArray() else { return }
        if try reader.peek() == UInt8(ascii: "\"") {
            repeat {
                block.transactionHashes.append(try reader.plainString())
            } while try reader.nextElement()
            return
        }
        block.isFull = true
        repeat {
            var transaction = TransactionObject()
            if try reader.enterObject() {
                repeat {
                    let key = try reader.key()
                    guard let field = TransactionObject.field(for: key) else {
                        try reader.skipValue()
                        continue
                    }
                    guard transaction[field].isAbsent else { throw FastJSONReader.Unsupported() }
                    if field == .blobVersionedHashes {
                        transaction[field] = try reader.stringList(optional: true, into: &block.lists)
                    } else {
                        transaction[field] = try reader.stringMember(optional: field.isOptional)
                    }
                } while try reader.nextMember()
            }
            try transaction.checkRequired()
            block.transactions.append(transaction)
        } while try reader.nextElement()
    }
}
