// Token transfer rows from logs, by ethereum-etl's EthTokenTransferExtractor rule.

/// ERC-20 and ERC-721 `Transfer(from, to, value|tokenId)` events, found as ethereum-etl finds them:
/// topic 0 is the Transfer signature (any case), and the topics plus the data split into 32-byte
/// words are exactly four: signature, from, to, value. So ERC-20 (3 topics + 1 data word) and
/// ERC-721 (4 topics, no data) both count, while other layouts are skipped.
public struct TokenTransferMapper: EntityMapper {
    public let entity = ExportEntity.tokenTransfers

    /// keccak256("Transfer(address,address,uint256)").
    public static let transferTopic = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"

    public init() {}

    public func rows(from bundle: BlockBundle) throws(ExportError) -> [ExportRow] {
        let (number, logs) = try bundle.logs()
        var rows: [ExportRow] = []
        for (log, path) in logs {
            if let row = try row(log, block: number, path: path) {
                rows.append(row)
            }
        }
        return rows
    }

    /// The transfer row of one log, or nil when the log is not a transfer by the rule above.
    public func row(_ log: RPCLog, block: UInt64?, path: String = "") throws(ExportError) -> ExportRow? {
        guard let first = log.topics.first, first.equalsIgnoringASCIICase(Self.transferTopic) else { return nil }
        let words = log.topics + Self.words(of: log.data)
        guard words.count == 4 else { return nil }

        var row = RowBuilder(.tokenTransfers, block: block, path: path)
        row.address("token_address", log.address)
        row.set("from_address", .text(Self.address(inWord: words[1])))
        row.set("to_address", .text(Self.address(inWord: words[2])))
        // The value may come from a topic (ERC-721) or the data, so name the field honestly.
        try row.quantity("value", words[3], field: log.topics.count == 4 ? "topics[3]" : "data")
        row.text("transaction_hash", log.transactionHash)
        try row.quantity("log_index", log.logIndex, field: "logIndex")
        try row.quantity("block_number", log.blockNumber, field: "blockNumber")
        return try row.row()
    }

    /// ethereum-etl's `split_to_words`: the data after `0x` in 64-character chunks, each given a
    /// `0x` again; the last chunk may be shorter. Data of `0x` (or shorter) has no words.
    static func words(of data: String) -> [String] {
        guard data.utf8.count > 2 else { return [] }
        let digits = data.utf8.dropFirst(2)
        var words: [String] = []
        var start = digits.startIndex
        while start != digits.endIndex {
            let end = digits.index(start, offsetBy: 64, limitedBy: digits.endIndex) ?? digits.endIndex
            words.append("0x" + String(decoding: digits[start..<end], as: UTF8.self))
            start = end
        }
        return words
    }

    /// ethereum-etl's `word_to_address`: the last 40 characters of a word as a lower-cased
    /// address, or the whole word lower-cased when it is shorter than 40 characters.
    static func address(inWord word: String) -> String {
        guard word.utf8.count >= 40 else { return word.asciiLowercased }
        return "0x" + String(decoding: word.utf8.suffix(40), as: UTF8.self).asciiLowercased
    }
}
