// One element of `trace_block`'s answer (Erigon, Nethermind, Reth, OpenEthereum): a flat trace.

/// A parity-style trace as the node sends it. Every field is optional because ethereum-etl reads
/// them with `dict.get`: what is absent becomes null in the output instead of failing the block.
public struct RPCParityTrace: Decodable, Sendable, Equatable {
    public struct Action: Decodable, Sendable, Equatable {
        public var callType: String?
        public var from: String?
        public var to: String?
        public var gas: String?
        public var input: String?
        public var value: String?
        /// Create traces: the init code.
        public var `init`: String?
        /// Suicide traces: the destroyed contract, its balance and where it went.
        public var address: String?
        public var balance: String?
        public var refundAddress: String?
        /// Reward traces.
        public var author: String?
        public var rewardType: String?
    }

    public struct Result: Decodable, Sendable, Equatable {
        public var gasUsed: String?
        public var output: String?
        /// Create traces: the new contract and its runtime code.
        public var address: String?
        public var code: String?
    }

    public var action: Action?
    public var result: Result?
    public var error: String?
    public var blockNumber: UInt64?
    public var subtraces: Int?
    public var traceAddress: [Int]?
    public var transactionHash: String?
    public var transactionPosition: Int?
    public var type: String?
}
