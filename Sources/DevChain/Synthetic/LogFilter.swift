// LogFilter: an eth_getLogs filter object and its matching rule.

/// Same semantics as geth's filters: addresses OR-ed, topic positions AND-ed, each position
/// null/empty (any) or one value or an OR-list, and a log needs at least as many topics.
struct LogFilter: Sendable, Equatable {
    var fromBlock: BlockTag?
    var toBlock: BlockTag?
    var blockHash: [UInt8]?
    var addresses: [[UInt8]]
    /// nil entry = wildcard at that position.
    var topics: [[[UInt8]]?]

    init(fromBlock: BlockTag? = nil, toBlock: BlockTag? = nil, blockHash: [UInt8]? = nil, addresses: [[UInt8]] = [], topics: [[[UInt8]]?] = []) {
        self.fromBlock = fromBlock
        self.toBlock = toBlock
        self.blockHash = blockHash
        self.addresses = addresses
        self.topics = topics
    }

    /// Reads the filter object; errors carry geth-like -32602 messages.
    init(_ value: JSONValue) throws(RPCError) {
        guard case .object = value else { throw RPCError.invalidParams("invalid argument 0: filter must be an object") }
        func tag(_ key: String) throws(RPCError) -> BlockTag? {
            guard let v = value[key], !v.isNull else { return nil }
            guard let s = v.stringValue, let t = BlockTag(s) else { throw RPCError.invalidParams("invalid argument 0: invalid \(key)") }
            return t
        }
        fromBlock = try tag("fromBlock")
        toBlock = try tag("toBlock")
        if let h = value["blockHash"], !h.isNull {
            guard let s = h.stringValue, let bytes = Hex.parseData(s, length: 32) else {
                throw RPCError.invalidParams("invalid argument 0: invalid blockHash")
            }
            if fromBlock != nil || toBlock != nil {
                throw RPCError.invalidParams("invalid argument 0: cannot specify both BlockHash and FromBlock/ToBlock, choose one or the other")
            }
            blockHash = bytes
        } else {
            blockHash = nil
        }
        addresses = []
        switch value["address"] {
        case .none, .some(.null): break
        case .some(.string(let s)):
            guard let a = Hex.parseData(s, length: 20) else { throw RPCError.invalidParams("invalid argument 0: invalid address") }
            addresses = [a]
        case .some(.array(let items)):
            for item in items {
                guard let s = item.stringValue, let a = Hex.parseData(s, length: 20) else {
                    throw RPCError.invalidParams("invalid argument 0: invalid address")
                }
                addresses.append(a)
            }
        default: throw RPCError.invalidParams("invalid argument 0: invalid address")
        }
        topics = []
        switch value["topics"] {
        case .none, .some(.null): break
        case .some(.array(let positions)):
            for position in positions {
                switch position {
                case .null: topics.append(nil)
                case .string(let s):
                    guard let t = Hex.parseData(s, length: 32) else { throw RPCError.invalidParams("invalid argument 0: invalid topic") }
                    topics.append([t])
                case .array(let options):
                    var list: [[UInt8]] = []
                    for option in options {
                        if option.isNull { continue }
                        guard let s = option.stringValue, let t = Hex.parseData(s, length: 32) else {
                            throw RPCError.invalidParams("invalid argument 0: invalid topic")
                        }
                        list.append(t)
                    }
                    topics.append(list.isEmpty ? nil : list)
                default: throw RPCError.invalidParams("invalid argument 0: invalid topic")
                }
            }
        default: throw RPCError.invalidParams("invalid argument 0: invalid topics")
        }
    }

    func matches(address: [UInt8], topics logTopics: [[UInt8]]) -> Bool {
        matches(SyntheticBlock.LogEntry(address: address, topics: logTopics, range: 0..<0))
    }

    func matches(_ log: SyntheticBlock.LogEntry) -> Bool {
        if !addresses.isEmpty, !addresses.contains(where: { $0[...] == log.address }) { return false }
        if topics.count > log.topicCount { return false }
        for (position, options) in topics.enumerated() {
            guard let options else { continue }
            let topic = log.topic(position)
            if !options.contains(where: { $0[...] == topic }) { return false }
        }
        return true
    }
}
