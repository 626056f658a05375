// geth's callTracer output: one call frame with its nested calls, and the per-transaction wrapper.

/// A callTracer frame (`type` CALL, STATICCALL, DELEGATECALL, CALLCODE, CREATE, CREATE2,
/// SELFDESTRUCT…). Fields are optional as ethereum-etl reads them with `dict.get`.
public struct RPCGethCallFrame: Decodable, Sendable, Equatable {
    public var type: String?
    public var from: String?
    public var to: String?
    public var value: String?
    public var gas: String?
    public var gasUsed: String?
    public var input: String?
    public var output: String?
    public var error: String?
    public var calls: [RPCGethCallFrame]?
}

/// One element of `debug_traceBlockByNumber`'s answer: a transaction's frame (`txHash` since geth
/// 1.11), or the error that stopped tracing it.
public struct RPCGethTransactionTrace: Decodable, Sendable, Equatable {
    public var txHash: String?
    public var result: RPCGethCallFrame?
    public var error: String?
}
