// Fast JSON reading of trace_block's flat traces, the same values JSONDecoder gives for them.

extension RPCParityTrace: FastJSONDecodable {
    /// Reads the object member by member. Every member is optional (as ethereum-etl reads them);
    /// unknown keys are validated and skipped; a duplicate key or a wrong type gives up
    /// (JSONDecoder then decides). Decoding traces was about half of an export of all eight
    /// entities with JSONDecoder.
    static func read(from reader: inout FastJSONReader) throws(FastJSONReader.Unsupported) -> RPCParityTrace {
        var action: Action??
        var result: Result??
        var error, transactionHash, type: String??
        var blockNumber: UInt64??
        var subtraces, transactionPosition: Int??
        var traceAddress: [Int]??
        if try reader.enterObject() {
            repeat {
                let key = try reader.key()
                if key.is("action") {
                    try reader.optional(&action)
                } else if key.is("result") {
                    try reader.optional(&result)
                } else if key.is("error") {
                    try reader.optional(&error)
                } else if key.is("blockNumber") {
                    try reader.optional(&blockNumber)
                } else if key.is("subtraces") {
                    try reader.optional(&subtraces)
                } else if key.is("traceAddress") {
                    try reader.optional(&traceAddress)
                } else if key.is("transactionHash") {
                    try reader.optional(&transactionHash)
                } else if key.is("transactionPosition") {
                    try reader.optional(&transactionPosition)
                } else if key.is("type") {
                    try reader.optional(&type)
                } else {
                    try reader.skipValue()
                }
            } while try reader.nextMember()
        }
        return RPCParityTrace(
            action: action ?? nil, result: result ?? nil, error: error ?? nil, blockNumber: blockNumber ?? nil,
            subtraces: subtraces ?? nil, traceAddress: traceAddress ?? nil, transactionHash: transactionHash ?? nil,
            transactionPosition: transactionPosition ?? nil, type: type ?? nil
        )
    }
}

extension RPCParityTrace.Action: FastJSONDecodable {
    static func read(from reader: inout FastJSONReader) throws(FastJSONReader.Unsupported) -> RPCParityTrace.Action {
        var callType, from, to, gas, input, value, initCode, address, balance, refundAddress, author, rewardType: String??
        if try reader.enterObject() {
            repeat {
                let key = try reader.key()
                if key.is("callType") {
                    try reader.optional(&callType)
                } else if key.is("from") {
                    try reader.optional(&from)
                } else if key.is("to") {
                    try reader.optional(&to)
                } else if key.is("gas") {
                    try reader.optional(&gas)
                } else if key.is("input") {
                    try reader.optional(&input)
                } else if key.is("value") {
                    try reader.optional(&value)
                } else if key.is("init") {
                    try reader.optional(&initCode)
                } else if key.is("address") {
                    try reader.optional(&address)
                } else if key.is("balance") {
                    try reader.optional(&balance)
                } else if key.is("refundAddress") {
                    try reader.optional(&refundAddress)
                } else if key.is("author") {
                    try reader.optional(&author)
                } else if key.is("rewardType") {
                    try reader.optional(&rewardType)
                } else {
                    try reader.skipValue()
                }
            } while try reader.nextMember()
        }
        return RPCParityTrace.Action(
            callType: callType ?? nil, from: from ?? nil, to: to ?? nil, gas: gas ?? nil, input: input ?? nil,
            value: value ?? nil, init: initCode ?? nil, address: address ?? nil, balance: balance ?? nil,
            refundAddress: refundAddress ?? nil, author: author ?? nil, rewardType: rewardType ?? nil
        )
    }
}

extension RPCParityTrace.Result: FastJSONDecodable {
    static func read(from reader: inout FastJSONReader) throws(FastJSONReader.Unsupported) -> RPCParityTrace.Result {
        var gasUsed, output, address, code: String??
        if try reader.enterObject() {
            repeat {
                let key = try reader.key()
                if key.is("gasUsed") {
                    try reader.optional(&gasUsed)
                } else if key.is("output") {
                    try reader.optional(&output)
                } else if key.is("address") {
                    try reader.optional(&address)
                } else if key.is("code") {
                    try reader.optional(&code)
                } else {
                    try reader.skipValue()
                }
            } while try reader.nextMember()
        }
        return RPCParityTrace.Result(gasUsed: gasUsed ?? nil, output: output ?? nil, address: address ?? nil, code: code ?? nil)
    }
}

extension Int: FastJSONDecodable {
    /// A JSON integer; a fraction, an exponent or a value past 64 bits gives up.
    static func read(from reader: inout FastJSONReader) throws(FastJSONReader.Unsupported) -> Int {
        Int(try reader.int64())
    }
}

extension UInt64: FastJSONDecodable {
    /// A non-negative JSON integer up to Int64.max; anything else gives up.
    static func read(from reader: inout FastJSONReader) throws(FastJSONReader.Unsupported) -> UInt64 {
        let value = try reader.int64()
        guard value >= 0 else { throw FastJSONReader.Unsupported() }
        return UInt64(value)
    }
}
