// A validator withdrawal inside a block result (post-Shanghai).

/// One element of a block's `withdrawals`.
public struct RPCWithdrawal: Decodable, Sendable, Equatable {
    public let index: String
    public let validatorIndex: String
    public let address: String
    public let amount: String
}
