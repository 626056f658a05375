// Finding, for each log or trace of a range, the definitions that may decode it, in one pass.

/// Definitions indexed by what a row must carry to be theirs: a log's topic 0, a call's 4-byte
/// selector. A user may enable hundreds of definitions; the decode stage reads each log and
/// trace once and asks the index, instead of one query per definition. The contract filter is
/// applied by the caller (an address set per definition).
///
/// Anonymous events have no topic 0. Their rule: a log is a candidate for an anonymous
/// definition when its topic count equals the event's indexed input count (the contract filter,
/// required for anonymous events, then narrows it); decoding must then succeed.
public struct DecodeDispatchIndex: Sendable {
    /// Definition positions (in the array given to `init`) by topic 0.
    let byTopic0: [ABIWord: [Int]]
    /// Anonymous event definitions by their indexed input count.
    let anonymousByTopicCount: [Int: [Int]]
    /// Trace definitions by selector (big-endian).
    let bySelector: [UInt32: [Int]]

    public init(_ definitions: [DecodedTableDefinition]) {
        var byTopic0: [ABIWord: [Int]] = [:]
        var anonymous: [Int: [Int]] = [:]
        var bySelector: [UInt32: [Int]] = [:]
        for (position, definition) in definitions.enumerated() {
            switch definition.parserType {
            case .log where definition.entry.anonymous:
                anonymous[definition.entry.indexedInputs.count, default: []].append(position)
            case .log:
                byTopic0[ABIWord(definition.entry.topic0, at: 0), default: []].append(position)
            case .trace:
                bySelector[Self.selector(definition.entry.signatureHash, at: 0), default: []].append(position)
            }
        }
        self.byTopic0 = byTopic0
        self.anonymousByTopicCount = anonymous
        self.bySelector = bySelector
    }

    /// Definitions that may decode a log with these topics: those whose topic 0 is the log's
    /// first topic, then anonymous ones with as many indexed inputs as the log has topics.
    public func logCandidates(topics: [[UInt8]]) -> [Int] {
        var out: [Int] = []
        if let first = topics.first, first.count == 32, let named = byTopic0[ABIWord(first, at: 0)] { out += named }
        if let anonymous = anonymousByTopicCount[topics.count] { out += anonymous }
        return out
    }

    /// Definitions that may decode a call with this input (its first 4 bytes).
    public func traceCandidates(input: [UInt8]) -> [Int] {
        guard input.count >= 4 else { return [] }
        return bySelector[Self.selector(input, at: 0)] ?? []
    }

    /// Whether any definition reads logs (else the decode stage need not read them).
    public var hasLogDefinitions: Bool { !byTopic0.isEmpty || !anonymousByTopicCount.isEmpty }

    /// Whether any definition reads traces.
    public var hasTraceDefinitions: Bool { !bySelector.isEmpty }

    static func selector(_ bytes: [UInt8], at start: Int) -> UInt32 {
        UInt32(bytes[start]) << 24 | UInt32(bytes[start + 1]) << 16 | UInt32(bytes[start + 2]) << 8 | UInt32(bytes[start + 3])
    }
}
