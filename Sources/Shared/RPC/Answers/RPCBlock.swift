// A block as geth's eth_getBlockByNumber returns it, fields kept as the node's hex text.

/// The block result of `eth_getBlockByNumber(n, true)` (or `false`: header with transaction hashes).
///
/// Fields stay hex strings and are converted only when a row is written, which keeps decoding
/// cheap. Optional fields are those ethereum-etl also treats as optional: absent before a fork
/// (base fee, withdrawals, blob gas) or dropped by newer nodes (total difficulty).
public struct RPCBlock: Decodable, Sendable, Equatable {
    public let number: String
    public let hash: String
    public let parentHash: String
    public let nonce: String?
    public let sha3Uncles: String
    public let logsBloom: String
    public let transactionsRoot: String
    public let stateRoot: String
    public let receiptsRoot: String
    public let miner: String
    public let difficulty: String?
    public let totalDifficulty: String?
    public let size: String?
    public let extraData: String
    public let gasLimit: String
    public let gasUsed: String
    public let timestamp: String
    public let baseFeePerGas: String?
    public let withdrawalsRoot: String?
    public let withdrawals: [RPCWithdrawal]?
    public let blobGasUsed: String?
    public let excessBlobGas: String?
    public let transactions: RPCBlockTransactions

    /// The block number, or an error naming the field when it is not hex.
    public func numberValue() throws(ExportError) -> UInt64 {
        guard let value = HexText.uint64(number) else {
            throw ExportError(.malformedHex, field: "number", "block number '\(number)' is not a hex quantity")
        }
        return value
    }
}
