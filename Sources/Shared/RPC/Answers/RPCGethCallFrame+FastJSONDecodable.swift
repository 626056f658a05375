// Fast JSON reading of debug_traceBlockByNumber's callTracer answers, the same values JSONDecoder gives.

extension RPCGethCallFrame: FastJSONDecodable {
    /// Frames nest as deep as the calls did (up to 1024 in the EVM); past this depth the fast
    /// read gives up and JSONDecoder takes the answer, so the recursion stays well inside a stack.
    static let maximumFastDepth = 64

    /// Reads the frame member by member. Every member is optional (as ethereum-etl reads them);
    /// unknown keys are validated and skipped; a duplicate key or a wrong type gives up.
    static func read(from reader: inout FastJSONReader) throws(FastJSONReader.Unsupported) -> RPCGethCallFrame {
        try read(from: &reader, depth: 0)
    }

    private static func read(from reader: inout FastJSONReader, depth: Int) throws(FastJSONReader.Unsupported) -> RPCGethCallFrame {
        guard depth < maximumFastDepth else { throw FastJSONReader.Unsupported() }
        var type, from, to, value, gas, gasUsed, input, output, error: String??
        var calls: [RPCGethCallFrame]??
        if try reader.enterObject() {
            repeat {
                let key = try reader.key()
                if key.is("type") {
                    try reader.optional(&type)
                } else if key.is("from") {
                    try reader.optional(&from)
                } else if key.is("to") {
                    try reader.optional(&to)
                } else if key.is("value") {
                    try reader.optional(&value)
                } else if key.is("gas") {
                    try reader.optional(&gas)
                } else if key.is("gasUsed") {
                    try reader.optional(&gasUsed)
                } else if key.is("input") {
                    try reader.optional(&input)
                } else if key.is("output") {
                    try reader.optional(&output)
                } else if key.is("error") {
                    try reader.optional(&error)
                } else if key.is("calls") {
                    if case .some = calls { throw FastJSONReader.Unsupported() }
                    if reader.consumeNull() {
                        calls = .some(nil)
                    } else {
                        var frames: [RPCGethCallFrame] = []
                        if try reader.enterArray() {
                            repeat {
                                frames.append(try read(from: &reader, depth: depth + 1))
                            } while try reader.nextElement()
                        }
                        calls = .some(frames)
                    }
                } else {
                    try reader.skipValue()
                }
            } while try reader.nextMember()
        }
        return RPCGethCallFrame(
            type: type ?? nil, from: from ?? nil, to: to ?? nil, value: value ?? nil, gas: gas ?? nil,
            gasUsed: gasUsed ?? nil, input: input ?? nil, output: output ?? nil, error: error ?? nil, calls: calls ?? nil
        )
    }
}

extension RPCGethTransactionTrace: FastJSONDecodable {
    static func read(from reader: inout FastJSONReader) throws(FastJSONReader.Unsupported) -> RPCGethTransactionTrace {
        var txHash, error: String??
        var result: RPCGethCallFrame??
        if try reader.enterObject() {
            repeat {
                let key = try reader.key()
                if key.is("txHash") {
                    try reader.optional(&txHash)
                } else if key.is("result") {
                    try reader.optional(&result)
                } else if key.is("error") {
                    try reader.optional(&error)
                } else {
                    try reader.skipValue()
                }
            } while try reader.nextMember()
        }
        return RPCGethTransactionTrace(txHash: txHash ?? nil, result: result ?? nil, error: error ?? nil)
    }
}
