// Fast JSON reading of a JSON-RPC response envelope.

extension RPCResponse: FastJSONDecodable where Result: FastJSONDecodable {
    /// Same value as `init(from:)`: an integer id becomes its decimal text, a string id stays,
    /// and a null, boolean, object or array id is nil. Ids `init(from:)` might read differently
    /// (fractions, exponents, integers beyond Int64) give up.
    static func read(from reader: inout FastJSONReader) throws(FastJSONReader.Unsupported) -> RPCResponse<Result> {
        var id: String??
        var result: Result??
        var error: RPCErrorObject??
        if try reader.enterObject() {
            repeat {
                let key = try reader.key()
                if key.is("result") {
                    try reader.optional(&result)
                } else if key.is("id") {
                    if case .some = id { throw FastJSONReader.Unsupported() }
                    id = .some(try readID(from: &reader))
                } else if key.is("error") {
                    try reader.optional(&error)
                } else {
                    try reader.skipValue()
                }
            } while try reader.nextMember()
        }
        return RPCResponse(id: id ?? nil, result: result ?? nil, error: error ?? nil)
    }

    private static func readID(from reader: inout FastJSONReader) throws(FastJSONReader.Unsupported) -> String? {
        switch try reader.peek() {
        case UInt8(ascii: "\""):
            return try reader.string()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return String(try reader.int64())
        default:
            // null, true, false, {…}, […]: neither an Int64 nor a String, so `init(from:)` keeps nil.
            try reader.skipValue()
            return nil
        }
    }
}
