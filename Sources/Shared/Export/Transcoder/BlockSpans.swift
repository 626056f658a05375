// A block result read into spans while its batch is read, for the CSV transcoder.

/// The result of `eth_getBlockByNumber`, read once — as `RPCBlock.read` reads it, but into
/// `JSONSpan`s over the value's bytes (a slice of the response, not a copy) instead of a
/// `String` per field. See `SpanResult`.
struct BlockSpans: SpanResult, Sendable {
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

    static func parse(_ reader: inout FastJSONReader) throws(FastJSONReader.Unsupported) -> Parsed {
        var block = Parsed()
        var header = BlockObject()
        try reader.readObject(into: &header) { field, reader throws(FastJSONReader.Unsupported) in
            switch field {
            case .transactions:
                try readTransactions(&reader, into: &block)
                return JSONSpan(items: 0, count: block.transactionCount)
            case .withdrawals:
                var list: [RPCWithdrawal]?? = nil
                try reader.optional(&list)
                block.withdrawals = list ?? nil
                return block.withdrawals.map { JSONSpan(items: 0, count: $0.count) } ?? .null
            default:
                return nil
            }
        }
        block.header = header
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
            try reader.readObject(into: &transaction) { field, reader throws(FastJSONReader.Unsupported) in
                field == .blobVersionedHashes ? try reader.stringList(optional: true, into: &block.lists) : nil
            }
            block.transactions.append(transaction)
        } while try reader.nextElement()
    }
}
