// A transaction receipt as eth_getBlockReceipts / eth_getTransactionReceipt return it.

/// One receipt with its logs, fields kept as the node's hex text. `root` is set before
/// Byzantium and `status` after; the `l1*` fields exist only on OP-stack chains.
public struct RPCReceipt: Decodable, Sendable, Equatable {
    public let transactionHash: String
    public let transactionIndex: String
    public let blockHash: String
    public let blockNumber: String
    public let cumulativeGasUsed: String
    public let gasUsed: String
    public let contractAddress: String?
    public let root: String?
    public let status: String?
    public let effectiveGasPrice: String?
    public let l1Fee: String?
    public let l1GasUsed: String?
    public let l1GasPrice: String?
    public let l1FeeScalar: String?
    public let blobGasPrice: String?
    public let blobGasUsed: String?
    public let logs: [RPCLog]
}
