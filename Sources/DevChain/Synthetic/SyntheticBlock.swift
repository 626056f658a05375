// SyntheticBlock: one block's precomputed response bytes (block, header, receipts, logs).

/// Serving is a dictionary lookup plus a copy: every answer about a block is this
/// object's bytes or a slice of them (a transaction, a receipt, a log).
final class SyntheticBlock: Sendable {
    /// One log with what eth_getLogs filters on, and where its JSON sits in `receiptsJSON`.
    struct LogEntry: Sendable {
        /// Address (20 bytes) then each topic (32 bytes): one allocation per log, not five.
        var key: [UInt8]
        var range: Range<Int>

        init(address: [UInt8], topics: [[UInt8]], range: Range<Int>) {
            key = address + topics.joined()
            self.range = range
        }

        var address: ArraySlice<UInt8> { key[0..<20] }
        var topicCount: Int { (key.count - 20) / 32 }
        func topic(_ position: Int) -> ArraySlice<UInt8> { key[(20 + 32 * position)..<(52 + 32 * position)] }
    }

    let number: UInt64
    let hash: [UInt8]
    /// eth_getBlockByNumber(n, true)
    let fullJSON: [UInt8]
    /// eth_getBlockByNumber(n, false)
    let headerJSON: [UInt8]
    /// Each transaction object inside `fullJSON`.
    let transactionRanges: [Range<Int>]
    /// eth_getBlockReceipts(n)
    let receiptsJSON: [UInt8]
    /// Each receipt object inside `receiptsJSON`.
    let receiptRanges: [Range<Int>]
    let logs: [LogEntry]

    init(number: UInt64, hash: [UInt8], fullJSON: [UInt8], headerJSON: [UInt8], transactionRanges: [Range<Int>],
         receiptsJSON: [UInt8], receiptRanges: [Range<Int>], logs: [LogEntry]) {
        self.number = number
        self.hash = hash
        self.fullJSON = fullJSON
        self.headerJSON = headerJSON
        self.transactionRanges = transactionRanges
        self.receiptsJSON = receiptsJSON
        self.receiptRanges = receiptRanges
        self.logs = logs
    }

    var byteCount: Int { fullJSON.count + headerJSON.count + receiptsJSON.count }

    func transactionJSON(_ i: Int) -> ArraySlice<UInt8>? {
        transactionRanges.indices.contains(i) ? fullJSON[transactionRanges[i]] : nil
    }

    func receiptJSON(_ i: Int) -> ArraySlice<UInt8>? {
        receiptRanges.indices.contains(i) ? receiptsJSON[receiptRanges[i]] : nil
    }

    func logJSON(_ entry: LogEntry) -> ArraySlice<UInt8> {
        receiptsJSON[entry.range]
    }
}
