// callTracer answers read from a JSON tree, for those too deep for JSONDecoder (it stops at 512 levels).

extension RPCGethCallFrame: JSONTreeDecodable {
    /// A frame still waiting for its calls: the children's trees and those already read.
    private struct Open {
        var frame: RPCGethCallFrame
        let children: [JSONValue]
        var built: [RPCGethCallFrame] = []
    }

    /// Same values as `init(from:)` through `JSONDecoder`, read without recursion: frames whose
    /// calls are being read wait on an explicit stack. Deeper than `maximumDepth` is an error.
    static func decode(_ value: JSONValue, path: String) throws(JSONTreeError) -> RPCGethCallFrame {
        var open: [Open] = []
        var current = value
        // The path of the frame being read, built only for an error.
        func here() -> String {
            open.reduce(path) { path, frame in JSONValue.path(JSONValue.path(path, "calls"), frame.built.count) }
        }
        while true {
            guard open.count < maximumDepth else {
                throw JSONTreeError(.tooDeep, path: here(),
                                    "callTracer frames nest deeper than \(maximumDepth), past the EVM's call depth limit of 1024")
            }
            guard case .object = current else {
                throw JSONTreeError(.wrongType, path: here(), "field '\(here())' is not a Dictionary: found \(current.kind) instead")
            }
            let at = here()
            var frame = RPCGethCallFrame(
                type: try current.optionalString("type", path: at), from: try current.optionalString("from", path: at),
                to: try current.optionalString("to", path: at), value: try current.optionalString("value", path: at),
                gas: try current.optionalString("gas", path: at), gasUsed: try current.optionalString("gasUsed", path: at),
                input: try current.optionalString("input", path: at), output: try current.optionalString("output", path: at),
                error: try current.optionalString("error", path: at), calls: nil
            )
            switch current["calls"] {
            case nil, .null?:
                break
            case .array(let children)?:
                if let first = children.first {
                    open.append(Open(frame: frame, children: children))
                    current = first
                    continue
                }
                frame.calls = []
            case let other?:
                let field = JSONValue.path(at, "calls")
                throw JSONTreeError(.wrongType, path: field, "field '\(field)' is not an Array: found \(other.kind) instead")
            }
            // The frame is complete: hand it up, closing the parents it completes.
            var done = frame
            while true {
                guard var parent = open.popLast() else { return done }
                parent.built.append(done)
                if parent.built.count < parent.children.count {
                    current = parent.children[parent.built.count]
                    open.append(parent)
                    break
                }
                parent.frame.calls = parent.built
                done = parent.frame
            }
        }
    }
}

extension RPCGethTransactionTrace: JSONTreeDecodable {
    static func decode(_ value: JSONValue, path: String) throws(JSONTreeError) -> RPCGethTransactionTrace {
        guard case .object = value else {
            throw JSONTreeError(.wrongType, path: path, "field '\(path)' is not a Dictionary: found \(value.kind) instead")
        }
        var result: RPCGethCallFrame?
        if let frame = value["result"], !frame.isNull {
            result = try RPCGethCallFrame.decode(frame, path: JSONValue.path(path, "result"))
        }
        return RPCGethTransactionTrace(txHash: try value.optionalString("txHash", path: path), result: result,
                                       error: try value.optionalString("error", path: path))
    }
}
