// The two trace APIs' JSON for a synthetic block: geth's callTracer and parity's trace_block.

extension SyntheticTrace {
    /// `debug_traceBlockByNumber(n, {tracer: callTracer})`: `[{"txHash","result":frame}]`, with
    /// geth's field names, its omissions (empty output, STATICCALL value, no error) and upper-case types.
    static func gethJSON(_ p: SyntheticChainParameters, block n: UInt64) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "[")]
        for i in 0..<UInt64(p.transactionCount(inBlock: n)) {
            let tx = SyntheticTransaction(parameters: p, number: n, index: i)
            if i > 0 { out.append(UInt8(ascii: ",")) }
            JSONBytes.appendRaw("{", to: &out); JSONBytes.appendKey("txHash", to: &out); JSONBytes.appendData(tx.hash, to: &out)
            JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("result", to: &out)
            appendGeth(frame(p, tx), to: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
        return out
    }

    static func appendGeth(_ frame: SyntheticCallFrame, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        JSONBytes.appendKey("from", to: &out); JSONBytes.appendData(frame.from, to: &out)
        JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("gas", to: &out); JSONBytes.appendQuantity(frame.gas, to: &out)
        JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("gasUsed", to: &out); JSONBytes.appendQuantity(frame.gasUsed, to: &out)
        JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("to", to: &out); JSONBytes.appendData(frame.to, to: &out)
        JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("input", to: &out); JSONBytes.appendData(frame.input, to: &out)
        if !frame.output.isEmpty {
            JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("output", to: &out); JSONBytes.appendData(frame.output, to: &out)
        }
        if frame.reverted {
            JSONBytes.appendRaw(",\"error\":\"execution reverted\"", to: &out)
        }
        if !frame.calls.isEmpty {
            JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("calls", to: &out)
            out.append(UInt8(ascii: "["))
            for (k, call) in frame.calls.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                appendGeth(call, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        }
        if let value = frame.value {
            JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("value", to: &out); JSONBytes.appendQuantity(value, to: &out)
        }
        JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("type", to: &out); JSONBytes.appendString(frame.type, to: &out)
        out.append(UInt8(ascii: "}"))
    }

    /// `trace_block(n)`: every frame flattened depth first, in Erigon's shape (calls, creates with
    /// `creationMethod`, suicides; a reverted frame has `error` "Reverted" and a null result).
    static func parityJSON(_ p: SyntheticChainParameters, block n: UInt64) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "[")]
        var first = true
        let blockHash = p.blockHash(n)
        for i in 0..<UInt64(p.transactionCount(inBlock: n)) {
            let tx = SyntheticTransaction(parameters: p, number: n, index: i)
            appendParity(frame(p, tx), address: [], block: n, blockHash: blockHash, tx: tx, first: &first, to: &out)
        }
        out.append(UInt8(ascii: "]"))
        return out
    }

    static func appendParity(_ frame: SyntheticCallFrame, address: [Int], block n: UInt64, blockHash: [UInt8], tx: SyntheticTransaction,
                             first: inout Bool, to out: inout [UInt8]) {
        if !first { out.append(UInt8(ascii: ",")) }
        first = false
        out.append(UInt8(ascii: "{"))
        JSONBytes.appendKey("action", to: &out)
        out.append(UInt8(ascii: "{"))
        let type: String
        switch frame.type {
        case "CREATE", "CREATE2":
            type = "create"
            JSONBytes.appendKey("from", to: &out); JSONBytes.appendData(frame.from, to: &out)
            JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("gas", to: &out); JSONBytes.appendQuantity(frame.gas, to: &out)
            JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("init", to: &out); JSONBytes.appendData(frame.input, to: &out)
            JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("value", to: &out); JSONBytes.appendQuantity(frame.value ?? 0, to: &out)
            JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("creationMethod", to: &out); JSONBytes.appendString(frame.type.lowercased(), to: &out)
        case "SELFDESTRUCT":
            type = "suicide"
            JSONBytes.appendKey("address", to: &out); JSONBytes.appendData(frame.from, to: &out)
            JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("balance", to: &out); JSONBytes.appendQuantity(frame.value ?? 0, to: &out)
            JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("refundAddress", to: &out); JSONBytes.appendData(frame.to, to: &out)
        default:
            type = "call"
            JSONBytes.appendKey("from", to: &out); JSONBytes.appendData(frame.from, to: &out)
            JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("callType", to: &out); JSONBytes.appendString(frame.type.lowercased(), to: &out)
            JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("gas", to: &out); JSONBytes.appendQuantity(frame.gas, to: &out)
            JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("input", to: &out); JSONBytes.appendData(frame.input, to: &out)
            JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("to", to: &out); JSONBytes.appendData(frame.to, to: &out)
            JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("value", to: &out); JSONBytes.appendQuantity(frame.value ?? 0, to: &out)
        }
        out.append(UInt8(ascii: "}"))
        JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("blockHash", to: &out); JSONBytes.appendData(blockHash, to: &out)
        JSONBytes.appendRaw(",\"blockNumber\":", to: &out); out.append(contentsOf: String(n).utf8)
        if frame.reverted { JSONBytes.appendRaw(",\"error\":\"Reverted\"", to: &out) }
        JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("result", to: &out)
        if frame.reverted || type == "suicide" {
            JSONBytes.appendRaw("null", to: &out)
        } else if type == "create" {
            out.append(UInt8(ascii: "{"))
            JSONBytes.appendKey("address", to: &out); JSONBytes.appendData(frame.to, to: &out)
            JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("code", to: &out); JSONBytes.appendData(frame.output, to: &out)
            JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("gasUsed", to: &out); JSONBytes.appendQuantity(frame.gasUsed, to: &out)
            out.append(UInt8(ascii: "}"))
        } else {
            out.append(UInt8(ascii: "{"))
            JSONBytes.appendKey("gasUsed", to: &out); JSONBytes.appendQuantity(frame.gasUsed, to: &out)
            JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("output", to: &out); JSONBytes.appendData(frame.output, to: &out)
            out.append(UInt8(ascii: "}"))
        }
        JSONBytes.appendRaw(",\"subtraces\":", to: &out); out.append(contentsOf: String(frame.calls.count).utf8)
        JSONBytes.appendRaw(",\"traceAddress\":[", to: &out)
        out.append(contentsOf: address.map(String.init).joined(separator: ",").utf8)
        JSONBytes.appendRaw("],", to: &out)
        JSONBytes.appendKey("transactionHash", to: &out); JSONBytes.appendData(tx.hash, to: &out)
        JSONBytes.appendRaw(",\"transactionPosition\":", to: &out); out.append(contentsOf: String(tx.index).utf8)
        JSONBytes.appendRaw(",", to: &out); JSONBytes.appendKey("type", to: &out); JSONBytes.appendString(type, to: &out)
        out.append(UInt8(ascii: "}"))
        for (k, call) in frame.calls.enumerated() {
            appendParity(call, address: address + [k], block: n, blockHash: blockHash, tx: tx, first: &first, to: &out)
        }
    }
}
