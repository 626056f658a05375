// Fast JSON reading of a validator withdrawal of a block, the same value JSONDecoder gives for it.

extension RPCWithdrawal: FastJSONDecodable {
    /// Reads the object member by member; unknown keys are validated and skipped, and a missing
    /// or null required field, a duplicate key or a wrong type gives up (JSONDecoder then reports it).
    static func read(from reader: inout FastJSONReader) throws(FastJSONReader.Unsupported) -> RPCWithdrawal {
        var index, validatorIndex, address, amount: String?
        if try reader.enterObject() {
            repeat {
                let key = try reader.key()
                if key.is("index") {
                    try reader.required(&index)
                } else if key.is("validatorIndex") {
                    try reader.required(&validatorIndex)
                } else if key.is("address") {
                    try reader.required(&address)
                } else if key.is("amount") {
                    try reader.required(&amount)
                } else {
                    try reader.skipValue()
                }
            } while try reader.nextMember()
        }
        guard let index, let validatorIndex, let address, let amount else {
            throw FastJSONReader.Unsupported()
        }
        return RPCWithdrawal(index: index, validatorIndex: validatorIndex, address: address, amount: amount)
    }
}
