// SyntheticBlockBuilder: renders a synthetic block into geth's exact JSON shapes.

/// Field names and order follow geth 1.14 (Cancun): blocks and receipts are Go maps, so
/// their keys come out sorted; transactions and logs are structs, in struct field order.
enum SyntheticBlockBuilder {
    static let emptyTrieRoot: [UInt8] = Hex.parseData("0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421") ?? []
    static let emptyUnclesHash: [UInt8] = Hex.parseData("0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347") ?? []
    static let extraData: [UInt8] = Array("devchain".utf8)
    static let blockGasLimit: UInt64 = 30_000_000

    static func build(_ p: SyntheticChainParameters, number n: UInt64) -> SyntheticBlock {
        let hash = p.blockHash(n)
        let count = p.transactionCount(inBlock: n)
        let baseFee = p.baseFee(n)
        let blobGasPrice = p.blobGasPrice(n)
        let txs = (0..<UInt64(count)).map { SyntheticTransaction(parameters: p, number: n, index: $0) }

        // Receipts first: the block header needs gasUsed, bloom and blob gas totals.
        var receipts: [UInt8] = []
        receipts.reserveCapacity(count * 1400 + 2)
        receipts.append(UInt8(ascii: "["))
        var receiptRanges: [Range<Int>] = []
        receiptRanges.reserveCapacity(count)
        var logEntries: [SyntheticBlock.LogEntry] = []
        var blockBloom = LogsBloom()
        var cumulativeGas: UInt64 = 0
        var blobGasUsed: UInt64 = 0
        var logIndex: UInt64 = 0
        for tx in txs {
            if tx.index > 0 { receipts.append(UInt8(ascii: ",")) }
            cumulativeGas += tx.gasUsed
            blobGasUsed += tx.blobGasUsed
            let start = receipts.count
            var bloom = LogsBloom()
            writeReceipt(tx, blockHash: hash, cumulativeGas: cumulativeGas, blobGasPrice: blobGasPrice,
                         logIndex: &logIndex, bloom: &bloom, logs: &logEntries, to: &receipts)
            blockBloom.formUnion(bloom)
            receiptRanges.append(start..<receipts.count)
        }
        receipts.append(UInt8(ascii: "]"))

        var rng = SplitMix64(p.seed, 0xB10C, n)
        let size = 620 + txs.reduce(0) { $0 + $1.approximateSize } + (n == 0 ? 0 : SyntheticChainParameters.withdrawalsPerBlock * 44)

        var prefix: [UInt8] = []
        prefix.reserveCapacity(1600)
        prefix.append(UInt8(ascii: "{"))
        JSONBytes.appendKey("baseFeePerGas", to: &prefix); JSONBytes.appendQuantity(baseFee, to: &prefix)
        JSONBytes.appendRaw(",", to: &prefix); JSONBytes.appendKey("blobGasUsed", to: &prefix); JSONBytes.appendQuantity(blobGasUsed, to: &prefix)
        JSONBytes.appendRaw(",", to: &prefix); JSONBytes.appendKey("difficulty", to: &prefix); JSONBytes.appendQuantity(0, to: &prefix)
        JSONBytes.appendRaw(",", to: &prefix); JSONBytes.appendKey("excessBlobGas", to: &prefix); JSONBytes.appendQuantity(p.excessBlobGas(n), to: &prefix)
        JSONBytes.appendRaw(",", to: &prefix); JSONBytes.appendKey("extraData", to: &prefix); JSONBytes.appendData(extraData, to: &prefix)
        JSONBytes.appendRaw(",", to: &prefix); JSONBytes.appendKey("gasLimit", to: &prefix); JSONBytes.appendQuantity(max(blockGasLimit, cumulativeGas), to: &prefix)
        JSONBytes.appendRaw(",", to: &prefix); JSONBytes.appendKey("gasUsed", to: &prefix); JSONBytes.appendQuantity(cumulativeGas, to: &prefix)
        JSONBytes.appendRaw(",", to: &prefix); JSONBytes.appendKey("hash", to: &prefix); JSONBytes.appendData(hash, to: &prefix)
        JSONBytes.appendRaw(",", to: &prefix); JSONBytes.appendKey("logsBloom", to: &prefix); JSONBytes.appendData(blockBloom.bytes, to: &prefix)
        JSONBytes.appendRaw(",", to: &prefix); JSONBytes.appendKey("miner", to: &prefix)
        JSONBytes.appendData(SyntheticIdentity.address(seed: p.seed, .builder, rng.next(below: SyntheticChainParameters.builderCount)), to: &prefix)
        JSONBytes.appendRaw(",", to: &prefix); JSONBytes.appendKey("mixHash", to: &prefix); JSONBytes.appendData(rng.nextBytes(32), to: &prefix)
        JSONBytes.appendRaw(",", to: &prefix); JSONBytes.appendKey("nonce", to: &prefix); JSONBytes.appendData([UInt8](repeating: 0, count: 8), to: &prefix)
        JSONBytes.appendRaw(",", to: &prefix); JSONBytes.appendKey("number", to: &prefix); JSONBytes.appendQuantity(n, to: &prefix)
        JSONBytes.appendRaw(",", to: &prefix); JSONBytes.appendKey("parentBeaconBlockRoot", to: &prefix); JSONBytes.appendData(rng.nextBytes(32), to: &prefix)
        JSONBytes.appendRaw(",", to: &prefix); JSONBytes.appendKey("parentHash", to: &prefix)
        JSONBytes.appendData(n == 0 ? [UInt8](repeating: 0, count: 32) : p.blockHash(n - 1), to: &prefix)
        JSONBytes.appendRaw(",", to: &prefix); JSONBytes.appendKey("receiptsRoot", to: &prefix); JSONBytes.appendData(count == 0 ? emptyTrieRoot : rng.nextBytes(32), to: &prefix)
        JSONBytes.appendRaw(",", to: &prefix); JSONBytes.appendKey("sha3Uncles", to: &prefix); JSONBytes.appendData(emptyUnclesHash, to: &prefix)
        JSONBytes.appendRaw(",", to: &prefix); JSONBytes.appendKey("size", to: &prefix); JSONBytes.appendQuantity(size, to: &prefix)
        JSONBytes.appendRaw(",", to: &prefix); JSONBytes.appendKey("stateRoot", to: &prefix); JSONBytes.appendData(rng.nextBytes(32), to: &prefix)
        JSONBytes.appendRaw(",", to: &prefix); JSONBytes.appendKey("timestamp", to: &prefix); JSONBytes.appendQuantity(p.timestamp(n), to: &prefix)
        JSONBytes.appendRaw(",", to: &prefix); JSONBytes.appendKey("transactions", to: &prefix)

        var suffix: [UInt8] = []
        suffix.reserveCapacity(2600)
        JSONBytes.appendRaw(",", to: &suffix); JSONBytes.appendKey("transactionsRoot", to: &suffix); JSONBytes.appendData(count == 0 ? emptyTrieRoot : rng.nextBytes(32), to: &suffix)
        JSONBytes.appendRaw(",\"uncles\":[],", to: &suffix); JSONBytes.appendKey("withdrawals", to: &suffix)
        suffix.append(UInt8(ascii: "["))
        let withdrawals = n == 0 ? 0 : SyntheticChainParameters.withdrawalsPerBlock
        for w in 0..<withdrawals {
            if w > 0 { suffix.append(UInt8(ascii: ",")) }
            suffix.append(UInt8(ascii: "{"))
            JSONBytes.appendKey("index", to: &suffix); JSONBytes.appendQuantity((n - 1) * SyntheticChainParameters.withdrawalsPerBlock + w, to: &suffix)
            JSONBytes.appendRaw(",", to: &suffix); JSONBytes.appendKey("validatorIndex", to: &suffix); JSONBytes.appendQuantity(rng.next(below: 1_000_000), to: &suffix)
            JSONBytes.appendRaw(",", to: &suffix); JSONBytes.appendKey("address", to: &suffix)
            JSONBytes.appendData(SyntheticIdentity.address(seed: p.seed, .withdrawal, rng.next(below: 512)), to: &suffix)
            JSONBytes.appendRaw(",", to: &suffix); JSONBytes.appendKey("amount", to: &suffix); JSONBytes.appendQuantity(10_000_000 + rng.next(below: 50_000_000), to: &suffix)
            suffix.append(UInt8(ascii: "}"))
        }
        suffix.append(UInt8(ascii: "]"))
        JSONBytes.appendRaw(",", to: &suffix); JSONBytes.appendKey("withdrawalsRoot", to: &suffix); JSONBytes.appendData(withdrawals == 0 ? emptyTrieRoot : rng.nextBytes(32), to: &suffix)
        suffix.append(UInt8(ascii: "}"))

        var full = prefix
        full.reserveCapacity(prefix.count + suffix.count + count * 1000)
        full.append(UInt8(ascii: "["))
        var transactionRanges: [Range<Int>] = []
        transactionRanges.reserveCapacity(count)
        for tx in txs {
            if tx.index > 0 { full.append(UInt8(ascii: ",")) }
            let start = full.count
            writeTransaction(tx, blockHash: hash, chainID: p.chainID, to: &full)
            transactionRanges.append(start..<full.count)
        }
        full.append(UInt8(ascii: "]"))
        full.append(contentsOf: suffix)

        var header = prefix
        header.reserveCapacity(prefix.count + suffix.count + count * 69)
        header.append(UInt8(ascii: "["))
        for tx in txs {
            if tx.index > 0 { header.append(UInt8(ascii: ",")) }
            JSONBytes.appendData(tx.hash, to: &header)
        }
        header.append(UInt8(ascii: "]"))
        header.append(contentsOf: suffix)

        return SyntheticBlock(number: n, hash: hash, fullJSON: full, headerJSON: header, transactionRanges: transactionRanges,
                              receiptsJSON: receipts, receiptRanges: receiptRanges, logs: logEntries)
    }

    /// geth's RPCTransaction field order; optional fields omitted exactly where geth omits them.
    static func writeTransaction(_ tx: SyntheticTransaction, blockHash: [UInt8], chainID: UInt64, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        JSONBytes.appendKey("blockHash", to: &out); JSONBytes.appendData(blockHash, to: &out)
        JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("blockNumber", to: &out); JSONBytes.appendQuantity(tx.number, to: &out)
        JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("from", to: &out); JSONBytes.appendData(tx.from, to: &out)
        JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("gas", to: &out); JSONBytes.appendQuantity(tx.gas, to: &out)
        JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("gasPrice", to: &out); JSONBytes.appendQuantity(tx.gasPrice, to: &out)
        if tx.type >= 2 {
            JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("maxFeePerGas", to: &out); JSONBytes.appendQuantity(tx.maxFeePerGas, to: &out)
            JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("maxPriorityFeePerGas", to: &out); JSONBytes.appendQuantity(tx.maxPriorityFeePerGas, to: &out)
        }
        if tx.type == 3 {
            JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("maxFeePerBlobGas", to: &out); JSONBytes.appendQuantity(tx.maxFeePerBlobGas, to: &out)
        }
        JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("hash", to: &out); JSONBytes.appendData(tx.hash, to: &out)
        JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("input", to: &out); JSONBytes.appendData(tx.input, to: &out)
        JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("nonce", to: &out); JSONBytes.appendQuantity(tx.nonce, to: &out)
        JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("to", to: &out)
        if let to = tx.to { JSONBytes.appendData(to, to: &out) } else { JSONBytes.appendRaw("null", to: &out) }
        JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("transactionIndex", to: &out); JSONBytes.appendQuantity(tx.index, to: &out)
        JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("value", to: &out); JSONBytes.appendQuantity(tx.value, to: &out)
        JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("type", to: &out); JSONBytes.appendQuantity(tx.type, to: &out)
        if tx.type >= 1 {
            JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("accessList", to: &out)
            out.append(UInt8(ascii: "["))
            for (k, entry) in tx.accessList.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                out.append(UInt8(ascii: "{"))
                JSONBytes.appendKey("address", to: &out); JSONBytes.appendData(entry.address, to: &out)
                JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("storageKeys", to: &out)
                out.append(UInt8(ascii: "["))
                for (j, key) in entry.storageKeys.enumerated() {
                    if j > 0 { out.append(UInt8(ascii: ",")) }
                    JSONBytes.appendData(key, to: &out)
                }
                out.append(contentsOf: [UInt8(ascii: "]"), UInt8(ascii: "}")])
            }
            out.append(UInt8(ascii: "]"))
        }
        if tx.type >= 1 || tx.eip155 {
            JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("chainId", to: &out); JSONBytes.appendQuantity(chainID, to: &out)
        }
        if tx.type == 3 {
            JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("blobVersionedHashes", to: &out)
            out.append(UInt8(ascii: "["))
            for (j, h) in tx.blobVersionedHashes.enumerated() {
                if j > 0 { out.append(UInt8(ascii: ",")) }
                JSONBytes.appendData(h, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        }
        JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("v", to: &out); JSONBytes.appendQuantity(tx.v, to: &out)
        JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("r", to: &out); JSONBytes.appendBigQuantity(tx.r, to: &out)
        JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("s", to: &out); JSONBytes.appendBigQuantity(tx.s, to: &out)
        if tx.type >= 1 {
            JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("yParity", to: &out); JSONBytes.appendQuantity(tx.yParity, to: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    /// geth's receipt map (sorted keys); logs in types.Log field order, numbered across the block.
    static func writeReceipt(_ tx: SyntheticTransaction, blockHash: [UInt8], cumulativeGas: UInt64, blobGasPrice: UInt64,
                             logIndex: inout UInt64, bloom: inout LogsBloom, logs: inout [SyntheticBlock.LogEntry], to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        if tx.type == 3 {
            JSONBytes.appendKey("blobGasPrice", to: &out); JSONBytes.appendQuantity(blobGasPrice, to: &out)
            JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("blobGasUsed", to: &out); JSONBytes.appendQuantity(tx.blobGasUsed, to: &out)
            JSONBytes.appendRaw(",", to: &out)
        }
        JSONBytes.appendKey("blockHash", to: &out); JSONBytes.appendData(blockHash, to: &out)
        JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("blockNumber", to: &out); JSONBytes.appendQuantity(tx.number, to: &out)
        JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("contractAddress", to: &out)
        if let address = tx.contractAddress { JSONBytes.appendData(address, to: &out) } else { JSONBytes.appendRaw("null", to: &out) }
        JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("cumulativeGasUsed", to: &out); JSONBytes.appendQuantity(cumulativeGas, to: &out)
        JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("effectiveGasPrice", to: &out); JSONBytes.appendQuantity(tx.gasPrice, to: &out)
        JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("from", to: &out); JSONBytes.appendData(tx.from, to: &out)
        JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("gasUsed", to: &out); JSONBytes.appendQuantity(tx.gasUsed, to: &out)
        JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("logs", to: &out)
        out.append(UInt8(ascii: "["))
        let emitted = tx.succeeded ? tx.logs : []
        for (k, log) in emitted.enumerated() {
            if k > 0 { out.append(UInt8(ascii: ",")) }
            let start = out.count
            out.append(UInt8(ascii: "{"))
            JSONBytes.appendKey("address", to: &out); JSONBytes.appendData(log.address, to: &out)
            JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("topics", to: &out)
            out.append(UInt8(ascii: "["))
            for (j, topic) in log.topics.enumerated() {
                if j > 0 { out.append(UInt8(ascii: ",")) }
                JSONBytes.appendData(topic, to: &out)
                bloom.add(topic)
            }
            out.append(UInt8(ascii: "]"))
            bloom.add(log.address)
            JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("data", to: &out); JSONBytes.appendData(log.data, to: &out)
            JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("blockNumber", to: &out); JSONBytes.appendQuantity(tx.number, to: &out)
            JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("transactionHash", to: &out); JSONBytes.appendData(tx.hash, to: &out)
            JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("transactionIndex", to: &out); JSONBytes.appendQuantity(tx.index, to: &out)
            JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("blockHash", to: &out); JSONBytes.appendData(blockHash, to: &out)
            JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("logIndex", to: &out); JSONBytes.appendQuantity(logIndex, to: &out)
            JSONBytes.appendRaw(",\"removed\":false}", to: &out)
            logs.append(SyntheticBlock.LogEntry(address: log.address, topics: log.topics, range: start..<out.count))
            logIndex += 1
        }
        out.append(UInt8(ascii: "]"))
        JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("logsBloom", to: &out); JSONBytes.appendData(bloom.bytes, to: &out)
        JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("status", to: &out); JSONBytes.appendQuantity(tx.succeeded ? 1 : 0, to: &out)
        JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("to", to: &out)
        if let to = tx.to { JSONBytes.appendData(to, to: &out) } else { JSONBytes.appendRaw("null", to: &out) }
        JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("transactionHash", to: &out); JSONBytes.appendData(tx.hash, to: &out)
        JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("transactionIndex", to: &out); JSONBytes.appendQuantity(tx.index, to: &out)
        JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("type", to: &out); JSONBytes.appendQuantity(tx.type, to: &out)
        out.append(UInt8(ascii: "}"))
    }
}
