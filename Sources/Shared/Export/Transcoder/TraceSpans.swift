// A block's trace_block result read into spans while its batch is read, for the trace transcoder.

/// The result of `trace_block`, read once — as `[RPCParityTrace].read` reads it, but into
/// `JSONSpan`s over the value's bytes and plain integers, with no `String` per member. See
/// `SpanResult`; `TraceTranscoder` writes the rows.
struct TraceSpans: SpanResult, Sendable {
    struct Parsed: Sendable {
        var traces: [ParityTraceSpans] = []
        /// Items of the traces' `traceAddress`, in order; a trace's `addresses` range points here.
        var addresses: [Int] = []
    }

    let bytes: SpanBytes
    let parsed: Parsed?

    static func parse(_ reader: inout FastJSONReader) throws(FastJSONReader.Unsupported) -> Parsed {
        var parsed = Parsed()
        guard try reader.enterArray() else { return parsed }
        repeat {
            parsed.traces.append(try readTrace(&reader, addresses: &parsed.addresses))
        } while try reader.nextElement()
        return parsed
    }

    /// One trace object; members not read as strings are `action`, `result` and the numbers.
    private static func readTrace(_ reader: inout FastJSONReader, addresses: inout [Int]) throws(FastJSONReader.Unsupported) -> ParityTraceSpans {
        var trace = ParityTraceSpans()
        var members = ParityTraceObject()
        try reader.readObject(into: &members) { field, reader throws(FastJSONReader.Unsupported) in
            // Each returns a marker span (null, or an empty item range) so a duplicate is seen.
            switch field {
            case .action:
                if reader.consumeNull() { return .null }
                try reader.readObject(into: &trace.action)
            case .result:
                if reader.consumeNull() { return .null }
                try reader.readObject(into: &trace.result)
            case .blockNumber:
                if reader.consumeNull() { return .null }
                let value = try reader.int64()
                guard value >= 0 else { throw FastJSONReader.Unsupported() }
                trace.blockNumber = UInt64(value)
            case .subtraces:
                if reader.consumeNull() { return .null }
                trace.subtraces = Int(try reader.int64())
            case .transactionPosition:
                if reader.consumeNull() { return .null }
                trace.transactionPosition = Int(try reader.int64())
            case .traceAddress:
                if reader.consumeNull() { return .null }
                let start = addresses.count
                if try reader.enterArray() {
                    repeat {
                        addresses.append(Int(try reader.int64()))
                    } while try reader.nextElement()
                }
                trace.addresses = start..<addresses.count
            default:
                return nil
            }
            return JSONSpan(items: 0, count: 0)
        }
        trace.error = members[.error]
        trace.transactionHash = members[.transactionHash]
        trace.type = members[.type]
        return trace
    }
}

/// One parity-style trace as spans and numbers: nil numbers, and spans that are null or
/// absent, are what `RPCParityTrace` holds as nil.
struct ParityTraceSpans: Sendable {
    var action = ParityActionObject()
    var result = ParityResultObject()
    var error = JSONSpan.absent
    var transactionHash = JSONSpan.absent
    var type = JSONSpan.absent
    var blockNumber: UInt64?
    var subtraces: Int?
    var transactionPosition: Int?
    /// The `traceAddress` items in `Parsed.addresses`; nil when null or absent (read as `[]`).
    var addresses: Range<Int>?
}

typealias ParityTraceObject = SpanObject<9, ParityTraceField>
typealias ParityActionObject = SpanObject<12, ParityActionField>
typealias ParityResultObject = SpanObject<4, ParityResultField>

/// `RPCParityTrace`'s members (all optional, as ethereum-etl reads them with `dict.get`).
enum ParityTraceField: Int, SpanObjectField {
    static let index = SpanFieldIndex(ParityTraceField.self)
    case action, result, error, blockNumber, subtraces, traceAddress, transactionHash, transactionPosition, type

    static let count = 9

    var name: StaticString {
        switch self {
        case .action: "action"
        case .result: "result"
        case .error: "error"
        case .blockNumber: "blockNumber"
        case .subtraces: "subtraces"
        case .traceAddress: "traceAddress"
        case .transactionHash: "transactionHash"
        case .transactionPosition: "transactionPosition"
        case .type: "type"
        }
    }

    var isOptional: Bool { true }
}

/// `RPCParityTrace.Action`'s members.
enum ParityActionField: Int, SpanObjectField {
    static let index = SpanFieldIndex(ParityActionField.self)
    case callType, from, to, gas, input, value, initCode, address, balance, refundAddress, author, rewardType

    static let count = 12

    var name: StaticString {
        switch self {
        case .callType: "callType"
        case .from: "from"
        case .to: "to"
        case .gas: "gas"
        case .input: "input"
        case .value: "value"
        case .initCode: "init"
        case .address: "address"
        case .balance: "balance"
        case .refundAddress: "refundAddress"
        case .author: "author"
        case .rewardType: "rewardType"
        }
    }

    var isOptional: Bool { true }
}

/// `RPCParityTrace.Result`'s members.
enum ParityResultField: Int, SpanObjectField {
    static let index = SpanFieldIndex(ParityResultField.self)
    case gasUsed, output, address, code

    static let count = 4

    var name: StaticString {
        switch self {
        case .gasUsed: "gasUsed"
        case .output: "output"
        case .address: "address"
        case .code: "code"
        }
    }

    var isOptional: Bool { true }
}
