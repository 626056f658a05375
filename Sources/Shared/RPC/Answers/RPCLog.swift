// An event log, inside a receipt or from eth_getLogs.

/// One log, fields kept as the node's hex text.
public struct RPCLog: Decodable, Sendable, Equatable {
    public let logIndex: String
    public let transactionHash: String
    public let transactionIndex: String
    public let blockHash: String
    public let blockNumber: String
    public let address: String
    public let data: String
    public let topics: [String]

    public init(logIndex: String, transactionHash: String, transactionIndex: String, blockHash: String,
                blockNumber: String, address: String, data: String, topics: [String]) {
        self.logIndex = logIndex
        self.transactionHash = transactionHash
        self.transactionIndex = transactionIndex
        self.blockHash = blockHash
        self.blockNumber = blockNumber
        self.address = address
        self.data = data
        self.topics = topics
    }
}
