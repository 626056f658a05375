// Decoding a log with an event entry, and a call input with a function entry.

extension ABIEntry {
    /// The inputs of an event, in ABI order, from a log's topics and data.
    ///
    /// A non-anonymous event's log must have topic 0 equal to `topic0` and exactly one topic per
    /// indexed input after it; an anonymous event's log has exactly one topic per indexed input
    /// (there is no topic 0, so a caller matches anonymous events by contract and topic count, see
    /// `DecodeDispatchIndex`). Indexed static values are decoded from their topic; indexed strings,
    /// bytes, arrays and tuples are their topic (the hash). Data is read with ethers' loose padding.
    public func decodeLog(topics: [[UInt8]], data: [UInt8]) throws -> [ABIValue] {
        guard kind == .event else { throw ABIDecodeError.doesNotFit("\(name) is a function, not an event") }
        var remaining = topics[...]
        if !anonymous {
            guard let first = remaining.first, first == topic0 else {
                throw ABIDecodeError.doesNotFit("topic 0 is not the hash of \(signature)")
            }
            remaining = remaining.dropFirst()
        }
        let indexed = indexedCount
        guard remaining.count == indexed else {
            throw ABIDecodeError.doesNotFit("\(topics.count) topics where \(signature) has \(indexed) indexed inputs\(anonymous ? " (anonymous)" : " plus topic 0")")
        }
        let nonIndexed = try ABIDecoder.decode(dataTypes, from: data, loose: true)
        var values: [ABIValue] = []
        values.reserveCapacity(inputs.count)
        var topicIndex = remaining.startIndex
        var dataIndex = 0
        for input in inputs {
            if input.indexed {
                let topic = remaining[topicIndex]
                topicIndex += 1
                guard topic.count == 32 else { throw ABIDecodeError.doesNotFit("a topic has \(topic.count) bytes, not 32") }
                values.append(input.type.isHashedWhenIndexed ? .topicHash(topic) : try ABIDecoder.decodeWord(input.type, from: topic))
            } else {
                values.append(nonIndexed[dataIndex])
                dataIndex += 1
            }
        }
        return values
    }

    /// The inputs of a function, in ABI order, from a call's input: the 4-byte selector, then the
    /// arguments (read strictly, as ethers' `parseTransaction`; trailing bytes are ignored).
    public func decodeCall(input: [UInt8]) throws -> [ABIValue] {
        guard kind == .function else { throw ABIDecodeError.doesNotFit("\(name) is an event, not a function") }
        guard input.count >= 4, input[0..<4].elementsEqual(signatureHash[0..<4]) else {
            throw ABIDecodeError.doesNotFit("input does not start with the selector of \(signature)")
        }
        return try ABIDecoder.decode(dataTypes, from: Array(input[4...]))
    }
}
