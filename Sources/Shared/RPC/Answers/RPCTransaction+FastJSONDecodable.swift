// Fast JSON reading of a full transaction of a block, the same value JSONDecoder gives for it.

extension RPCTransaction: FastJSONDecodable {
    /// Reads the object member by member; unknown keys are validated and skipped, and a missing
    /// or null required field, a duplicate key or a wrong type gives up (JSONDecoder then reports it).
    static func read(from reader: inout FastJSONReader) throws(FastJSONReader.Unsupported) -> RPCTransaction {
        var hash, nonce, blockHash, blockNumber, transactionIndex, from, value, gas, input: String?
        var to, gasPrice, maxFeePerGas, maxPriorityFeePerGas, type, maxFeePerBlobGas: String??
        var blobVersionedHashes: [String]??
        if try reader.enterObject() {
            repeat {
                let key = try reader.key()
                if key.is("hash") {
                    try reader.required(&hash)
                } else if key.is("nonce") {
                    try reader.required(&nonce)
                } else if key.is("blockHash") {
                    try reader.required(&blockHash)
                } else if key.is("blockNumber") {
                    try reader.required(&blockNumber)
                } else if key.is("transactionIndex") {
                    try reader.required(&transactionIndex)
                } else if key.is("from") {
                    try reader.required(&from)
                } else if key.is("to") {
                    try reader.optional(&to)
                } else if key.is("value") {
                    try reader.required(&value)
                } else if key.is("gas") {
                    try reader.required(&gas)
                } else if key.is("gasPrice") {
                    try reader.optional(&gasPrice)
                } else if key.is("input") {
                    try reader.required(&input)
                } else if key.is("maxFeePerGas") {
                    try reader.optional(&maxFeePerGas)
                } else if key.is("maxPriorityFeePerGas") {
                    try reader.optional(&maxPriorityFeePerGas)
                } else if key.is("type") {
                    try reader.optional(&type)
                } else if key.is("maxFeePerBlobGas") {
                    try reader.optional(&maxFeePerBlobGas)
                } else if key.is("blobVersionedHashes") {
                    try reader.optional(&blobVersionedHashes)
                } else {
                    try reader.skipValue()
                }
            } while try reader.nextMember()
        }
        guard let hash, let nonce, let blockHash, let blockNumber, let transactionIndex, let from, let value, let gas,
            let input else {
            throw FastJSONReader.Unsupported()
        }
        return RPCTransaction(hash: hash, nonce: nonce, blockHash: blockHash, blockNumber: blockNumber,
            transactionIndex: transactionIndex, from: from, to: to ?? nil, value: value, gas: gas,
            gasPrice: gasPrice ?? nil, input: input, maxFeePerGas: maxFeePerGas ?? nil,
            maxPriorityFeePerGas: maxPriorityFeePerGas ?? nil, type: type ?? nil,
            maxFeePerBlobGas: maxFeePerBlobGas ?? nil, blobVersionedHashes: blobVersionedHashes ?? nil)
    }
}
