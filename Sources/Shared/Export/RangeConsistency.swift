// Checks that one range's fetched blocks and receipts agree with each other before anything is written.

/// Pure checks over a range's decoded data. Nodes behind a load balancer can answer from
/// different forks or sync states; any disagreement fails the attempt (a retryable
/// `ExportError`) so inconsistent data never reaches the output.
public enum RangeConsistency {
    /// Checks, in order: the blocks are exactly `first...last`, each block's parentHash is the
    /// previous block's hash, and for blocks with receipts: one receipt per transaction, each
    /// for the transaction at its position, and every receipt and log naming its block's hash
    /// and number. Transactions of full blocks must name their block's hash too.
    public static func check(_ bundles: [BlockBundle], first: UInt64, last: UInt64) throws(ExportError) {
        guard first <= last else {
            throw ExportError(.blockNumberMismatch, block: first, field: "number", "range \(first)...\(last) is empty")
        }
        let expectedCount = last - first + 1
        var previousHash: String?
        for (offset, bundle) in bundles.enumerated() {
            let expected = first + UInt64(offset)
            guard expected <= last else {
                throw ExportError(.blockNumberMismatch, block: expected, field: "number",
                                  "got \(bundles.count) blocks for the \(expectedCount) blocks of range \(first)...\(last)")
            }
            let block = bundle.block
            let number = try block.numberValue()
            guard number == expected else {
                throw ExportError(.blockNumberMismatch, block: expected, field: "number",
                                  "expected block \(expected) of range \(first)...\(last), got block \(number)")
            }
            if let previousHash, !block.parentHash.equalsIgnoringASCIICase(previousHash) {
                throw ExportError(.parentHashMismatch, block: number, field: "parentHash",
                                  "parentHash \(block.parentHash) is not the hash \(previousHash) of block \(number - 1)")
            }
            try checkTransactions(of: block, number: number)
            if let receipts = bundle.receipts {
                try checkReceipts(receipts, of: block, number: number)
            }
            previousHash = block.hash
        }
        guard UInt64(bundles.count) == expectedCount else {
            throw ExportError(.blockNumberMismatch, block: first + UInt64(bundles.count), field: "number",
                              "got \(bundles.count) blocks for the \(expectedCount) blocks of range \(first)...\(last)")
        }
    }

    private static func checkTransactions(of block: RPCBlock, number: UInt64) throws(ExportError) {
        guard case .full(let transactions) = block.transactions else { return }
        for index in transactions.indices where !transactions[index].blockHash.equalsIgnoringASCIICase(block.hash) {
            let transaction = transactions[index]
            throw ExportError(.blockHashMismatch, block: number, field: "transactions[\(index)].blockHash",
                              "transaction \(transaction.hash) names block hash \(transaction.blockHash), block has \(block.hash)")
        }
    }

    private static func checkReceipts(_ receipts: [RPCReceipt], of block: RPCBlock, number: UInt64) throws(ExportError) {
        guard receipts.count == block.transactions.count else {
            throw ExportError(.receiptCountMismatch, block: number, field: "receipts",
                              "\(receipts.count) receipts for \(block.transactions.count) transactions")
        }
        let hashes = block.transactions.hashes
        // By index, with paths spelt out only on failure: this runs for every receipt and log.
        for index in receipts.indices {
            try checkBlock(hash: receipts[index].blockHash, number: receipts[index].blockNumber, of: block, number: number,
                           path: "receipts[\(index)]")
            guard receipts[index].transactionHash.equalsIgnoringASCIICase(hashes[index]) else {
                throw ExportError(.transactionMismatch, block: number, field: "receipts[\(index)].transactionHash",
                                  "receipt is for transaction \(receipts[index].transactionHash), the block's transaction \(index) is \(hashes[index])")
            }
            let logs = receipts[index].logs
            for logIndex in logs.indices {
                try checkBlock(hash: logs[logIndex].blockHash, number: logs[logIndex].blockNumber, of: block, number: number,
                               path: "receipts[\(index)].logs[\(logIndex)]")
            }
        }
    }

    private static func checkBlock(hash: String, number text: String, of block: RPCBlock, number: UInt64,
                                   path: @autoclosure () -> String) throws(ExportError) {
        guard hash.equalsIgnoringASCIICase(block.hash) else {
            throw ExportError(.blockHashMismatch, block: number, field: path() + ".blockHash",
                              "names block hash \(hash), block \(number) has hash \(block.hash)")
        }
        guard let claimed = HexText.uint64(text) else {
            throw ExportError(.malformedHex, block: number, field: path() + ".blockNumber", "'\(text)' is not a hex quantity")
        }
        guard claimed == number else {
            throw ExportError(.blockHashMismatch, block: number, field: path() + ".blockNumber",
                              "names block \(claimed), expected \(number)")
        }
    }
}
