// Fast JSON reading of debug_traceBlockByNumber's callTracer answers, the same values JSONDecoder gives.

extension RPCGethCallFrame: FastJSONDecodable {
    /// The deepest nesting of frames read: the EVM stops calls at depth 1024, so a transaction's
    /// frame and 1024 nested calls (and a failed call past the limit) fit with room to spare.
    /// Deeper answers are refused with an error rather than read: the frames are freed
    /// recursively by Swift, and this keeps that far inside any thread's stack.
    public static let maximumDepth = 1100

    /// The fields of a frame being read, and whether its `calls` list is open (its children
    /// are being read).
    private struct Partial {
        var type, from, to, value, gas, gasUsed, input, output, error: String??
        var calls: [RPCGethCallFrame]??

        var frame: RPCGethCallFrame {
            RPCGethCallFrame(
                type: type ?? nil, from: from ?? nil, to: to ?? nil, value: value ?? nil, gas: gas ?? nil,
                gasUsed: gasUsed ?? nil, input: input ?? nil, output: output ?? nil, error: error ?? nil, calls: calls ?? nil
            )
        }
    }

    /// Reads the frame member by member. Every member is optional (as ethereum-etl reads them);
    /// unknown keys are validated and skipped; a duplicate key or a wrong type gives up.
    ///
    /// Nested frames are read without recursion: the frames whose `calls` are being read wait on
    /// an explicit stack, so a 1024-deep answer costs heap, not thread stack.
    static func read(from reader: inout FastJSONReader) throws(FastJSONReader.Unsupported) -> RPCGethCallFrame {
        var open: [Partial] = []
        var partial = Partial()
        var hasMembers = try reader.enterObject()
        while true {
            if hasMembers {
                let key = try reader.key()
                if key.is("type") {
                    try reader.optional(&partial.type)
                } else if key.is("from") {
                    try reader.optional(&partial.from)
                } else if key.is("to") {
                    try reader.optional(&partial.to)
                } else if key.is("value") {
                    try reader.optional(&partial.value)
                } else if key.is("gas") {
                    try reader.optional(&partial.gas)
                } else if key.is("gasUsed") {
                    try reader.optional(&partial.gasUsed)
                } else if key.is("input") {
                    try reader.optional(&partial.input)
                } else if key.is("output") {
                    try reader.optional(&partial.output)
                } else if key.is("error") {
                    try reader.optional(&partial.error)
                } else if key.is("calls") {
                    if case .some = partial.calls { throw FastJSONReader.Unsupported() }
                    if reader.consumeNull() {
                        partial.calls = .some(nil)
                    } else {
                        partial.calls = .some([])
                        if try reader.enterArray() {
                            // The first child: this frame waits until its calls are read.
                            guard open.count + 1 < maximumDepth else { throw FastJSONReader.Unsupported() }
                            open.append(partial)
                            partial = Partial()
                            hasMembers = try reader.enterObject()
                            continue
                        }
                    }
                } else {
                    try reader.skipValue()
                }
                hasMembers = try reader.nextMember()
                continue
            }
            // The frame is complete: hand it to the waiting parent, or return it.
            let frame = partial.frame
            guard var parent = open.popLast() else { return frame }
            // Taken out first so the list is uniquely held and grows in place.
            var calls = (parent.calls ?? nil) ?? []
            parent.calls = nil
            calls.append(frame)
            parent.calls = .some(calls)
            if try reader.nextElement() {
                open.append(parent)
                partial = Partial()
                hasMembers = try reader.enterObject()
            } else {
                partial = parent
                hasMembers = try reader.nextMember()
            }
        }
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
