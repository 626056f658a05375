// The transcoder's rows: the member entities by their column table plans, token transfers by their rule.

import Foundation

extension CSVTranscoder {
    /// `BlockMapper.row`, by `blockPlan`.
    mutating func writeBlock(_ parsed: BlockSpans.Parsed, base: UnsafePointer<UInt8>, number: UInt64) throws(Declined) {
        guard let plan = Self.blockPlan else { throw Declined("the block columns have no transcoder plan") }
        var out = take(.blocks)
        defer { restore(&out, of: .blocks, rows: 1) }
        let json = format == .json
        try Self.writeRow(plan, of: parsed.header, lists: [], base: base, keys: json ? Self.blockKeys : nil, to: &out) { (cell, out) throws(Declined) in
            switch cell {
            case .transactionCount:
                HexText.appendDecimalDigits(UInt64(parsed.transactionCount), to: &out)
            case .withdrawals:
                do {
                    let withdrawals = try BlockMapper.withdrawalsValue(parsed.withdrawals, block: number)
                    if json {
                        withdrawals.appendJSON(to: &out, compact: false)
                    } else {
                        CSVCell.value(withdrawals, to: &out)
                    }
                } catch {
                    throw Declined("block \(number): a withdrawal is not hex")
                }
            case .blockTimestamp:
                throw Declined("blocks have no block_timestamp cell")
            }
        }
    }

    /// `TransactionMapper.row` for each transaction of a full block, by `transactionPlan`.
    mutating func writeTransactions(_ block: BlockSpans.Parsed, base: UnsafePointer<UInt8>) throws(Declined) {
        let transactions = block.transactions
        guard !transactions.isEmpty else { return }
        guard let plan = Self.transactionPlan else { throw Declined("the transaction columns have no transcoder plan") }
        var timestamp: [UInt8] = []
        guard HexText.appendDecimal(block.header[.timestamp].bytes(in: base), to: &timestamp) else {
            throw Declined("the block timestamp is not hex")
        }
        var out = take(.transactions)
        defer { restore(&out, of: .transactions, rows: transactions.count) }
        let keys = format == .json ? Self.transactionKeys : nil
        for index in transactions.indices {
            try Self.writeRow(plan, of: transactions[index], lists: block.lists, base: base, keys: keys, to: &out) { (cell, out) throws(Declined) in
                guard case .blockTimestamp = cell else { throw Declined("transactions have no such computed cell") }
                out.append(contentsOf: timestamp)
            }
        }
    }

    /// `ReceiptMapper.row` for each receipt, by `receiptPlan`.
    mutating func writeReceipts(_ parsed: ReceiptSpans.Parsed, base: UnsafePointer<UInt8>) throws(Declined) {
        guard let plan = Self.receiptPlan else { throw Declined("the receipt columns have no transcoder plan") }
        let receipts = parsed.receipts
        var out = take(.receipts)
        defer { restore(&out, of: .receipts, rows: receipts.count) }
        let keys = format == .json ? Self.receiptKeys : nil
        for index in receipts.indices {
            try Self.writeRow(plan, of: receipts[index], lists: parsed.lists, base: base, keys: keys, to: &out, computed: Self.noComputedCells)
        }
    }

    /// `LogMapper.row` for each log of each receipt, in order, by `logPlan`.
    mutating func writeLogs(_ parsed: ReceiptSpans.Parsed, base: UnsafePointer<UInt8>) throws(Declined) {
        guard let plan = Self.logPlan else { throw Declined("the log columns have no transcoder plan") }
        let logs = parsed.logs
        var out = take(.logs)
        defer { restore(&out, of: .logs, rows: logs.count) }
        let keys = format == .json ? Self.logKeys : nil
        for index in logs.indices {
            try Self.writeRow(plan, of: logs[index], lists: parsed.lists, base: base, keys: keys, to: &out, computed: Self.noComputedCells)
        }
    }

    /// For entities whose columns all come from members.
    static func noComputedCells(_ cell: ComputedCell, _ out: inout [UInt8]) throws(Declined) {
        throw Declined("no computed cell \(cell) here")
    }

    /// `TokenTransferMapper.row` for each transfer `forEachTransfer` finds.
    mutating func writeTransfers(_ parsed: ReceiptSpans.Parsed, base: UnsafePointer<UInt8>) throws(Declined) {
        var out = take(.tokenTransfers)
        var rows = 0
        let json = format == .json
        let keys = Self.transferKeys
        defer { restore(&out, of: .tokenTransfers, rows: rows) }
        try Self.forEachTransfer(parsed, base: base) { (log, from, to, value) throws(Declined) in
            if json {
                out.append(contentsOf: keys[0])
                JSONCell.address(log[.address], in: base, to: &out)
            } else {
                CSVCell.address(log[.address], in: base, to: &out)
            }
            for number in 1...2 {
                let address = number == 1 ? from : to
                if json {
                    out.append(contentsOf: keys[number])
                    if memchr(address.baseAddress!, 0x7F, address.count) != nil { throw Declined("a transfer's address word holds DEL") }
                    out.append(UInt8(ascii: "\""))
                    CSVCell.lowercased(address, prefix: true, to: &out)
                    out.append(UInt8(ascii: "\""))
                } else {
                    CSVCell.separator(&out)
                    CSVCell.lowercased(address, prefix: true, to: &out)
                    if address.contains(UInt8(ascii: ",")) { CSVCell.quote(from: out.count - 42, in: &out) }
                }
            }
            if json { out.append(contentsOf: keys[3]) } else { CSVCell.separator(&out) }
            guard HexText.appendDecimal(value, to: &out) else { throw Declined("a transfer's value is not hex") }
            if json {
                out.append(contentsOf: keys[4])
                JSONCell.text(log[.transactionHash], in: base, to: &out)
                out.append(contentsOf: keys[5])
                try JSONCell.quantity(log[.logIndex], in: base, to: &out)
                out.append(contentsOf: keys[6])
                try JSONCell.quantity(log[.blockNumber], in: base, to: &out)
                JSONCell.endRow(&out)
            } else {
                CSVCell.separator(&out)
                CSVCell.text(log[.transactionHash], in: base, to: &out)
                CSVCell.separator(&out)
                try CSVCell.quantity(log[.logIndex], in: base, to: &out)
                CSVCell.separator(&out)
                try CSVCell.quantity(log[.blockNumber], in: base, to: &out)
                CSVCell.endRow(&out)
            }
            rows += 1
        }
    }

    /// Calls `body` for each log that is a transfer by `TokenTransferMapper`'s rule: topic 0 the
    /// Transfer signature and topics plus 64-character data words exactly four; with the log,
    /// the 40 hex digits of the from and to words (their last 40 characters) and the value word.
    /// Words the decoding path would read oddly (a short last data word, a topic under 40
    /// characters, a data chunk starting `0x`) decline. CSV, JSON lines and Parquet cells share it.
    @inline(__always)
    static func forEachTransfer(
        _ parsed: ReceiptSpans.Parsed, base: UnsafePointer<UInt8>,
        _ body: (_ log: LogObject, _ from: UnsafeBufferPointer<UInt8>, _ to: UnsafeBufferPointer<UInt8>,
                 _ value: UnsafeBufferPointer<UInt8>) throws(Declined) -> Void
    ) throws(Declined) {
        let logs = parsed.logs
        let lists = parsed.lists
        for index in logs.indices {
            let log = logs[index]
            let topics = log[.topics]
            guard topics.count > 0 else { continue }
            let signature = lists[Int(topics.start)].bytes(in: base)
            let isTransfer = Self.transferTopic.withUnsafeBufferPointer { signature.equalsIgnoringASCIICase($0) }
            guard isTransfer else { continue }
            let data = log[.data].bytes(in: base)
            let dataWords = data.count > 2 ? (data.count - 2 + 63) / 64 : 0
            guard Int(topics.count) + dataWords == 4 else { continue }
            if dataWords > 0 {
                guard (data.count - 2) % 64 == 0 else { throw Declined("a transfer's data word is short") }
                guard data[0] == UInt8(ascii: "0"), data[1] | 0x20 == UInt8(ascii: "x") else {
                    throw Declined("a transfer's data does not start with 0x")
                }
            }
            /// Word 1…3: a topic, or (past the topics) a 64-character chunk of the data after `0x`.
            func word(_ number: Int) -> (bytes: UnsafeBufferPointer<UInt8>, isTopic: Bool) {
                if number < topics.count { return (lists[Int(topics.start) + number].bytes(in: base), true) }
                let start = 2 + (number - Int(topics.count)) * 64
                return (UnsafeBufferPointer(rebasing: data[start..<start + 64]), false)
            }
            /// The last 40 characters of an address word.
            func address(_ number: Int) throws(Declined) -> UnsafeBufferPointer<UInt8> {
                let bytes = word(number).bytes
                guard bytes.count >= 40 else { throw Declined("a transfer's address word is short") }
                return UnsafeBufferPointer(rebasing: bytes[(bytes.count - 40)...])
            }
            let from = try address(1), to = try address(2)
            let (value, valueIsTopic) = word(3)
            // A data chunk is read as "0x" + chunk; one starting "0x" itself would read differently.
            if !valueIsTopic, value[0] == UInt8(ascii: "0"), value[1] | 0x20 == UInt8(ascii: "x") {
                throw Declined("a transfer's value word is not hex")
            }
            try body(log, from, to, value)
        }
    }
}
