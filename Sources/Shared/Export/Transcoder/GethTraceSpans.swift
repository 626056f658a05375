// A block's debug_traceBlockByNumber result read into spans while its batch is read, for the trace transcoder.

/// The result of `debug_traceBlockByNumber` with the callTracer, read once — as
/// `[RPCGethTransactionTrace].read` reads it, but into `JSONSpan`s over the value's bytes: each
/// transaction's frames flattened depth first, as `TraceRecord.gethBlock` lists them, with their
/// trace addresses. See `SpanResult`; `TraceTranscoder` writes the rows.
struct GethTraceSpans: SpanResult, Sendable {
    struct Parsed: Sendable {
        var transactions: [GethTransactionSpans] = []
        /// Every transaction's frames, depth first; a transaction's `frames` range points here.
        var frames: [GethFrameSpans] = []
        /// Items of the frames' trace addresses.
        var addresses: [Int] = []
    }

    let bytes: SpanBytes
    let parsed: Parsed?

    static func parse(_ reader: inout FastJSONReader) throws(FastJSONReader.Unsupported) -> Parsed {
        var parsed = Parsed()
        guard try reader.enterArray() else { return parsed }
        repeat {
            var members = GethTransactionObject()
            var frames: Range<Int>?
            try reader.readObject(into: &members) { field, reader throws(FastJSONReader.Unsupported) in
                guard field == .result else { return nil }
                if reader.consumeNull() { return .null }
                frames = try readFrames(&reader, into: &parsed)
                return JSONSpan(items: 0, count: 0)
            }
            parsed.transactions.append(GethTransactionSpans(txHash: members[.txHash], frames: frames))
        } while try reader.nextElement()
        return parsed
    }

    /// One transaction's frame and its nested calls, without recursion (as
    /// `RPCGethCallFrame.read`): frames whose calls are being read wait on an explicit stack, up
    /// to the same depth. A frame's members may come before or after its `calls`.
    private static func readFrames(_ reader: inout FastJSONReader, into parsed: inout Parsed) throws(FastJSONReader.Unsupported) -> Range<Int> {
        let first = parsed.frames.count
        var path: [Int] = []
        // Frames whose calls are being read, and how many of them were read so far.
        var open: [(frame: Int, calls: Int)] = []
        func begin() -> Int {
            let start = parsed.addresses.count
            parsed.addresses.append(contentsOf: path)
            parsed.frames.append(GethFrameSpans(addresses: start..<parsed.addresses.count))
            return parsed.frames.count - 1
        }
        var current = begin()
        var hasMembers = try reader.enterObject()
        while true {
            if hasMembers {
                let key = try reader.key()
                guard let field = GethFrameObject.field(for: key) else {
                    try reader.skipValue()
                    hasMembers = try reader.nextMember()
                    continue
                }
                guard parsed.frames[current].members[field].isAbsent else { throw FastJSONReader.Unsupported() }
                guard field == .calls else {
                    parsed.frames[current].members[field] = try reader.stringMember(optional: true)
                    hasMembers = try reader.nextMember()
                    continue
                }
                if reader.consumeNull() {
                    parsed.frames[current].members[.calls] = .null
                } else {
                    parsed.frames[current].members[.calls] = JSONSpan(items: 0, count: 0)
                    if try reader.enterArray() {
                        // The first call: this frame waits until its calls are read.
                        guard open.count + 1 < RPCGethCallFrame.maximumDepth else { throw FastJSONReader.Unsupported() }
                        open.append((current, 0))
                        path.append(0)
                        current = begin()
                        hasMembers = try reader.enterObject()
                        continue
                    }
                }
                hasMembers = try reader.nextMember()
                continue
            }
            // The frame is complete: back to its parent's calls, or done.
            guard let (parent, calls) = open.popLast() else { return first..<parsed.frames.count }
            if try reader.nextElement() {
                open.append((parent, calls + 1))
                path[path.count - 1] = calls + 1
                current = begin()
                hasMembers = try reader.enterObject()
            } else {
                parsed.frames[parent].calls = calls + 1
                path.removeLast()
                current = parent
                hasMembers = try reader.nextMember()
            }
        }
    }
}

/// One element of the answer: the transaction's hash and its frames (nil when `result` is null
/// or absent: geth could not trace it; its `error` is read, as the record reading reads it, and
/// left to the record path to report).
struct GethTransactionSpans: Sendable {
    var txHash: JSONSpan
    var frames: Range<Int>?
}

/// One callTracer frame: its string members, its number of calls and its trace address.
struct GethFrameSpans: Sendable {
    var members = GethFrameObject()
    var calls = 0
    var addresses: Range<Int>
}

typealias GethTransactionObject = SpanObject<3, GethTransactionField>
typealias GethFrameObject = SpanObject<10, GethFrameField>

/// `RPCGethTransactionTrace`'s members.
enum GethTransactionField: Int, SpanObjectField {
    static let index = SpanFieldIndex(GethTransactionField.self)
    case txHash, result, error

    static let count = 3

    var name: StaticString {
        switch self {
        case .txHash: "txHash"
        case .result: "result"
        case .error: "error"
        }
    }

    var isOptional: Bool { true }
}

/// `RPCGethCallFrame`'s members.
enum GethFrameField: Int, SpanObjectField {
    static let index = SpanFieldIndex(GethFrameField.self)
    case type, from, to, value, gas, gasUsed, input, output, error, calls

    static let count = 10

    var name: StaticString {
        switch self {
        case .type: "type"
        case .from: "from"
        case .to: "to"
        case .value: "value"
        case .gas: "gas"
        case .gasUsed: "gasUsed"
        case .input: "input"
        case .output: "output"
        case .error: "error"
        case .calls: "calls"
        }
    }

    var isOptional: Bool { true }
}
