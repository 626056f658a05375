// Fast JSON reading of a JSON-RPC error object.

extension RPCErrorObject: FastJSONDecodable {
    /// `{"code": <integer>, "message": <string>, …}`; `data` and other keys are skipped.
    static func read(from reader: inout FastJSONReader) throws(FastJSONReader.Unsupported) -> RPCErrorObject {
        var code: Int64?
        var message: String?
        if try reader.enterObject() {
            repeat {
                let key = try reader.key()
                if key.is("code") {
                    guard code == nil else { throw FastJSONReader.Unsupported() }
                    code = try reader.int64()
                } else if key.is("message") {
                    try reader.required(&message)
                } else {
                    try reader.skipValue()
                }
            } while try reader.nextMember()
        }
        guard let code, let number = Int(exactly: code), let message else { throw FastJSONReader.Unsupported() }
        return RPCErrorObject(code: number, message: message)
    }
}
