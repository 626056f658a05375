// RPCOutcome: what a backend answers for one call — result bytes or an error.

/// Results are raw JSON bytes (often a slice of a precomputed block) so serving a call
/// is a copy, never a re-encoding.
enum RPCOutcome: Sendable, Equatable {
    case result(ArraySlice<UInt8>)
    case error(RPCError)

    static let null = RPCOutcome.result(ArraySlice("null".utf8))

    static func result(_ bytes: [UInt8]) -> RPCOutcome { .result(bytes[...]) }

    static func quantity(_ value: UInt64) -> RPCOutcome {
        var out: [UInt8] = []
        JSONBytes.appendQuantity(value, to: &out)
        return .result(out[...])
    }

    static func string(_ text: String) -> RPCOutcome {
        var out: [UInt8] = []
        JSONBytes.appendString(text, to: &out)
        return .result(out[...])
    }

    /// Size of the encoded result or error, for the batch response-size limit.
    var byteCount: Int {
        switch self {
        case .result(let bytes): bytes.count
        case .error(let e): e.message.utf8.count + 32
        }
    }
}
