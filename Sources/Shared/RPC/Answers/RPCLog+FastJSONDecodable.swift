// Fast JSON reading of an event log, the same value JSONDecoder gives for it.

extension RPCLog: FastJSONDecodable {
    /// Reads the object member by member; unknown keys are validated and skipped, and a missing
    /// or null required field, a duplicate key or a wrong type gives up (JSONDecoder then reports it).
    static func read(from reader: inout FastJSONReader) throws(FastJSONReader.Unsupported) -> RPCLog {
        var logIndex, transactionHash, transactionIndex, blockHash, blockNumber, address, data: String?
        var topics: [String]?
        if try reader.enterObject() {
            repeat {
                let key = try reader.key()
                if key.is("logIndex") {
                    try reader.required(&logIndex)
                } else if key.is("transactionHash") {
                    try reader.required(&transactionHash)
                } else if key.is("transactionIndex") {
                    try reader.required(&transactionIndex)
                } else if key.is("blockHash") {
                    try reader.required(&blockHash)
                } else if key.is("blockNumber") {
                    try reader.required(&blockNumber)
                } else if key.is("address") {
                    try reader.required(&address)
                } else if key.is("data") {
                    try reader.required(&data)
                } else if key.is("topics") {
                    try reader.required(&topics)
                } else {
                    try reader.skipValue()
                }
            } while try reader.nextMember()
        }
        guard let logIndex, let transactionHash, let transactionIndex, let blockHash, let blockNumber, let address,
            let data, let topics else {
            throw FastJSONReader.Unsupported()
        }
        return RPCLog(logIndex: logIndex, transactionHash: transactionHash, transactionIndex: transactionIndex,
            blockHash: blockHash, blockNumber: blockNumber, address: address, data: data, topics: topics)
    }
}
