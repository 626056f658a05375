// Fast JSON reading of the block result of eth_getBlockByNumber, the same value JSONDecoder gives for it.

extension RPCBlock: FastJSONDecodable {
    /// Reads the object member by member; unknown keys are validated and skipped, and a missing
    /// or null required field, a duplicate key or a wrong type gives up (JSONDecoder then reports it).
    static func read(from reader: inout FastJSONReader) throws(FastJSONReader.Unsupported) -> RPCBlock {
        var number, hash, parentHash, sha3Uncles, logsBloom, transactionsRoot, stateRoot, receiptsRoot, miner, extraData, gasLimit, gasUsed, timestamp: String?
        var transactions: RPCBlockTransactions?
        var nonce, difficulty, totalDifficulty, size, baseFeePerGas, withdrawalsRoot, blobGasUsed, excessBlobGas: String??
        var withdrawals: [RPCWithdrawal]??
        if try reader.enterObject() {
            repeat {
                let key = try reader.key()
                if key.is("number") {
                    try reader.required(&number)
                } else if key.is("hash") {
                    try reader.required(&hash)
                } else if key.is("parentHash") {
                    try reader.required(&parentHash)
                } else if key.is("nonce") {
                    try reader.optional(&nonce)
                } else if key.is("sha3Uncles") {
                    try reader.required(&sha3Uncles)
                } else if key.is("logsBloom") {
                    try reader.required(&logsBloom)
                } else if key.is("transactionsRoot") {
                    try reader.required(&transactionsRoot)
                } else if key.is("stateRoot") {
                    try reader.required(&stateRoot)
                } else if key.is("receiptsRoot") {
                    try reader.required(&receiptsRoot)
                } else if key.is("miner") {
                    try reader.required(&miner)
                } else if key.is("difficulty") {
                    try reader.optional(&difficulty)
                } else if key.is("totalDifficulty") {
                    try reader.optional(&totalDifficulty)
                } else if key.is("size") {
                    try reader.optional(&size)
                } else if key.is("extraData") {
                    try reader.required(&extraData)
                } else if key.is("gasLimit") {
                    try reader.required(&gasLimit)
                } else if key.is("gasUsed") {
                    try reader.required(&gasUsed)
                } else if key.is("timestamp") {
                    try reader.required(&timestamp)
                } else if key.is("baseFeePerGas") {
                    try reader.optional(&baseFeePerGas)
                } else if key.is("withdrawalsRoot") {
                    try reader.optional(&withdrawalsRoot)
                } else if key.is("withdrawals") {
                    try reader.optional(&withdrawals)
                } else if key.is("blobGasUsed") {
                    try reader.optional(&blobGasUsed)
                } else if key.is("excessBlobGas") {
                    try reader.optional(&excessBlobGas)
                } else if key.is("transactions") {
                    try reader.required(&transactions)
                } else {
                    try reader.skipValue()
                }
            } while try reader.nextMember()
        }
        guard let number, let hash, let parentHash, let sha3Uncles, let logsBloom, let transactionsRoot, let stateRoot,
            let receiptsRoot, let miner, let extraData, let gasLimit, let gasUsed, let timestamp, let transactions else {
            throw FastJSONReader.Unsupported()
        }
        return RPCBlock(number: number, hash: hash, parentHash: parentHash, nonce: nonce ?? nil, sha3Uncles: sha3Uncles,
            logsBloom: logsBloom, transactionsRoot: transactionsRoot, stateRoot: stateRoot, receiptsRoot: receiptsRoot,
            miner: miner, difficulty: difficulty ?? nil, totalDifficulty: totalDifficulty ?? nil, size: size ?? nil,
            extraData: extraData, gasLimit: gasLimit, gasUsed: gasUsed, timestamp: timestamp,
            baseFeePerGas: baseFeePerGas ?? nil, withdrawalsRoot: withdrawalsRoot ?? nil,
            withdrawals: withdrawals ?? nil, blobGasUsed: blobGasUsed ?? nil, excessBlobGas: excessBlobGas ?? nil,
            transactions: transactions)
    }
}
