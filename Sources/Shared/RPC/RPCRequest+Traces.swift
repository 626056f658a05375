// The calls behind traces, contracts and tokens, with ethereum-etl's exact parameters.

extension RPCRequest {
    /// Parity-style traces of one block (Erigon, Nethermind, Reth).
    public static func traceBlock(_ number: UInt64) -> RPCRequest {
        RPCRequest(method: "trace_block", params: "[\"\(hex(number))\"]", block: number)
    }

    /// geth's callTracer over one block, with the parameters ethereum-etl sends.
    public static func debugTraceBlock(_ number: UInt64) -> RPCRequest {
        RPCRequest(method: "debug_traceBlockByNumber", params: "[\"\(hex(number))\",{\"tracer\":\"callTracer\"}]", block: number)
    }

    /// `eth_call` of `data` on `to` at a block (nil: `latest`, as ethereum-etl calls).
    public static func call(to address: String, data: String, at block: UInt64?) -> RPCRequest {
        let tag = block.map(hex) ?? "latest"
        return RPCRequest(method: "eth_call", params: "[{\"to\":\"\(address)\",\"data\":\"\(data)\"},\"\(tag)\"]", block: block)
    }

    /// Deployed code at `latest`.
    public static func code(_ address: String) -> RPCRequest {
        RPCRequest(method: "eth_getCode", params: "[\"\(address)\",\"latest\"]")
    }
}
