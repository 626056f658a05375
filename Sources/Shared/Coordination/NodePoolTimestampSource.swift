// Block timestamps from the nodes: `eth_getBlockByNumber` without transactions, through the pool.

/// Reads headers through a `NodePool`, so the date search gets its retries, breakers and
/// replicas; a replica behind a probed block is skipped by the pool.
public struct NodePoolTimestampSource: BlockTimestampSource {
    public let pool: NodePool

    public init(pool: NodePool) {
        self.pool = pool
    }

    struct Header: Decodable, Sendable {
        let number: String
        let timestamp: String
    }

    public func head() async throws -> BlockTimestamp {
        try Self.point(try await pool.call(RPCRequest(method: "eth_getBlockByNumber", params: "[\"latest\",false]"), as: Header.self), asked: "latest")
    }

    public func block(_ number: UInt64) async throws -> BlockTimestamp {
        try Self.point(try await pool.call(.block(number, fullTransactions: false), as: Header.self), asked: RPCRequest.hex(number))
    }

    static func point(_ header: Header, asked: String) throws -> BlockTimestamp {
        guard header.number.hasPrefix("0x"), let number = UInt64(header.number.dropFirst(2), radix: 16),
              header.timestamp.hasPrefix("0x"), let timestamp = Int64(header.timestamp.dropFirst(2), radix: 16) else {
            throw RPCError(.malformedResponse, method: "eth_getBlockByNumber",
                           "eth_getBlockByNumber(\(asked)) answered number '\(header.number)' and timestamp '\(header.timestamp)', not hex quantities")
        }
        return BlockTimestamp(number: number, timestamp: timestamp)
    }
}
