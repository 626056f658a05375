// One JSON-RPC call: a method and its parameters, already encoded as JSON text.

/// A call as sent in a batch. Parameters are pre-encoded JSON, so batching costs no re-encoding.
public struct RPCRequest: Sendable, Hashable, CustomStringConvertible {
    public let method: String
    /// The `params` array's JSON text, e.g. `["0x10",true]`.
    public let params: String
    /// The block the call asks about, so the pool can skip replicas behind it.
    public let block: UInt64?

    public init(method: String, params: String = "[]", block: UInt64? = nil) {
        self.method = method
        self.params = params
        self.block = block
    }

    public var description: String { "\(method)\(params)" }

    public static func hex(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }

    public static let blockNumber = RPCRequest(method: "eth_blockNumber")
    public static let chainID = RPCRequest(method: "eth_chainId")

    public static func block(_ number: UInt64, fullTransactions: Bool) -> RPCRequest {
        RPCRequest(method: "eth_getBlockByNumber", params: "[\"\(hex(number))\",\(fullTransactions)]", block: number)
    }

    public static func blockReceipts(_ number: UInt64) -> RPCRequest {
        RPCRequest(method: "eth_getBlockReceipts", params: "[\"\(hex(number))\"]", block: number)
    }

    public static func transactionReceipt(_ hash: String, block: UInt64) -> RPCRequest {
        RPCRequest(method: "eth_getTransactionReceipt", params: "[\"\(hash)\"]", block: block)
    }
}
