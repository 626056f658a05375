// A transaction inside a full block result, fields kept as the node's hex text.

/// One element of a block's `transactions` from `eth_getBlockByNumber(n, true)`.
public struct RPCTransaction: Decodable, Sendable, Equatable {
    public let hash: String
    public let nonce: String
    public let blockHash: String
    public let blockNumber: String
    public let transactionIndex: String
    public let from: String
    /// Nil for contract creation.
    public let to: String?
    public let value: String
    public let gas: String
    public let gasPrice: String?
    public let input: String
    public let maxFeePerGas: String?
    public let maxPriorityFeePerGas: String?
    public let type: String?
    public let maxFeePerBlobGas: String?
    public let blobVersionedHashes: [String]?
}
