// A block's transactions: full objects (eth_getBlockByNumber(n, true)) or only their hashes (false).

/// Either form geth returns; the block's `transaction_count` counts both alike.
public enum RPCBlockTransactions: Decodable, Sendable, Equatable {
    case full([RPCTransaction])
    case hashes([String])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        // Hashes fail fast on the first object, so a full block pays almost nothing for the try;
        // a malformed full block then reports its own error from the second decode.
        if let hashes = try? container.decode([String].self) {
            self = .hashes(hashes)
        } else {
            self = .full(try container.decode([RPCTransaction].self))
        }
    }

    public var count: Int {
        switch self {
        case .full(let transactions): return transactions.count
        case .hashes(let hashes): return hashes.count
        }
    }

    /// The transaction hashes in block order, whichever form was fetched.
    public var hashes: [String] {
        switch self {
        case .full(let transactions): return transactions.map(\.hash)
        case .hashes(let hashes): return hashes
        }
    }
}
