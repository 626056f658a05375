// Fast JSON reading of a transaction receipt, the same value JSONDecoder gives for it.

extension RPCReceipt: FastJSONDecodable {
    /// Reads the object member by member; unknown keys are validated and skipped, and a missing
    /// or null required field, a duplicate key or a wrong type gives up (JSONDecoder then reports it).
    static func read(from reader: inout FastJSONReader) throws(FastJSONReader.Unsupported) -> RPCReceipt {
        var transactionHash, transactionIndex, blockHash, blockNumber, cumulativeGasUsed, gasUsed: String?
        var logs: [RPCLog]?
        var contractAddress, root, status, effectiveGasPrice, l1Fee, l1GasUsed, l1GasPrice, l1FeeScalar, blobGasPrice, blobGasUsed: String??
        if try reader.enterObject() {
            repeat {
                let key = try reader.key()
                if key.is("transactionHash") {
                    try reader.required(&transactionHash)
                } else if key.is("transactionIndex") {
                    try reader.required(&transactionIndex)
                } else if key.is("blockHash") {
                    try reader.required(&blockHash)
                } else if key.is("blockNumber") {
                    try reader.required(&blockNumber)
                } else if key.is("cumulativeGasUsed") {
                    try reader.required(&cumulativeGasUsed)
                } else if key.is("gasUsed") {
                    try reader.required(&gasUsed)
                } else if key.is("contractAddress") {
                    try reader.optional(&contractAddress)
                } else if key.is("root") {
                    try reader.optional(&root)
                } else if key.is("status") {
                    try reader.optional(&status)
                } else if key.is("effectiveGasPrice") {
                    try reader.optional(&effectiveGasPrice)
                } else if key.is("l1Fee") {
                    try reader.optional(&l1Fee)
                } else if key.is("l1GasUsed") {
                    try reader.optional(&l1GasUsed)
                } else if key.is("l1GasPrice") {
                    try reader.optional(&l1GasPrice)
                } else if key.is("l1FeeScalar") {
                    try reader.optional(&l1FeeScalar)
                } else if key.is("blobGasPrice") {
                    try reader.optional(&blobGasPrice)
                } else if key.is("blobGasUsed") {
                    try reader.optional(&blobGasUsed)
                } else if key.is("logs") {
                    try reader.required(&logs)
                } else {
                    try reader.skipValue()
                }
            } while try reader.nextMember()
        }
        guard let transactionHash, let transactionIndex, let blockHash, let blockNumber, let cumulativeGasUsed,
            let gasUsed, let logs else {
            throw FastJSONReader.Unsupported()
        }
        return RPCReceipt(transactionHash: transactionHash, transactionIndex: transactionIndex, blockHash: blockHash,
            blockNumber: blockNumber, cumulativeGasUsed: cumulativeGasUsed, gasUsed: gasUsed,
            contractAddress: contractAddress ?? nil, root: root ?? nil, status: status ?? nil,
            effectiveGasPrice: effectiveGasPrice ?? nil, l1Fee: l1Fee ?? nil, l1GasUsed: l1GasUsed ?? nil,
            l1GasPrice: l1GasPrice ?? nil, l1FeeScalar: l1FeeScalar ?? nil, blobGasPrice: blobGasPrice ?? nil,
            blobGasUsed: blobGasUsed ?? nil, logs: logs)
    }
}
