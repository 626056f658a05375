// One trace as ethereum-etl's EthTrace holds it, before it becomes a row.

/// The fields of ethereum-etl's `EthTrace`, already in its value text (decimal quantities,
/// lower-cased addresses where it lower-cases them). Built from either trace source; status and
/// trace id are filled by `TraceStatusCalculator` and `TraceIDCalculator`.
public struct TraceRecord: Sendable, Equatable {
    public var blockNumber: UInt64?
    public var transactionHash: String?
    public var transactionIndex: Int?
    public var fromAddress: String?
    public var toAddress: String?
    /// Decimal text (`hex_to_dec`).
    public var value: String?
    public var input: String?
    public var output: String?
    public var traceType: String?
    public var callType: String?
    public var rewardType: String?
    public var gas: String?
    public var gasUsed: String?
    public var subtraces: Int?
    public var traceAddress: [Int]?
    public var error: String?
    public var status: Int?
    public var traceID: String?

    public init(blockNumber: UInt64? = nil) {
        self.blockNumber = blockNumber
    }
}
