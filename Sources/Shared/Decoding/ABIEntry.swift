// An event or function of an ABI: its canonical signature, topic 0 and 4-byte selector.

/// One event (decoded from logs) or function (decoded from call inputs).
public struct ABIEntry: Hashable, Sendable {
    public enum Kind: String, Sendable {
        case event
        case function
    }

    public let kind: Kind
    public let name: String
    public let inputs: [ABIParameter]
    /// Anonymous events have no topic 0: all their topics are indexed inputs.
    public let anonymous: Bool
    /// `Name(type1,(type2,type3)[],…)`: canonical types, no names, no spaces.
    public let signature: String
    /// Keccak-256 of the signature: an event's topic 0 (its first 4 bytes are a function's selector).
    public let signatureHash: [UInt8]
    /// The types of the inputs carried in data (all of a function's), and the count carried in
    /// topics: worked out once, as every decoded row needs them.
    let dataTypes: [ABIType]
    let indexedCount: Int

    public init(kind: Kind, name: String, inputs: [ABIParameter], anonymous: Bool = false) throws {
        guard Self.isIdentifier(name) else {
            throw ABITypeError(.invalidEntry, subject: name, reason: "name is not an identifier")
        }
        let indexed = inputs.filter(\.indexed).count
        if kind == .event {
            let limit = anonymous ? 4 : 3
            guard indexed <= limit else {
                throw ABITypeError(.invalidEntry, subject: name, reason: "\(indexed) indexed inputs (at most \(limit) fit in the topics)")
            }
        } else if indexed > 0 || anonymous {
            throw ABITypeError(.invalidEntry, subject: name, reason: "a function has no indexed inputs and is not anonymous")
        }
        self.kind = kind
        self.name = name
        self.inputs = inputs
        self.anonymous = anonymous
        self.signature = name + "(" + inputs.map(\.type.canonical).joined(separator: ",") + ")"
        self.signatureHash = Keccak256.hash(signature)
        self.dataTypes = inputs.filter { !$0.indexed }.map(\.type)
        self.indexedCount = indexed
    }

    /// Reads an entry from its ABI JSON; a function's `type` may be omitted (the ABI default).
    public init(json: ABIEntryJSON) throws {
        let name = json.name ?? ""
        let kind: Kind
        switch json.type ?? "function" {
        case "event": kind = .event
        case "function": kind = .function
        case let other:
            throw ABITypeError(.invalidEntry, subject: name, reason: "type '\(other)' is neither 'event' nor 'function'")
        }
        guard let inputs = json.inputs else {
            throw ABITypeError(.invalidEntry, subject: name, reason: "missing 'inputs'")
        }
        let parameters = try inputs.map { ABIParameter(name: $0.name ?? "", type: try $0.abiType(), indexed: $0.indexed ?? false) }
        try self.init(kind: kind, name: name, inputs: parameters, anonymous: json.anonymous ?? false)
    }

    /// An event's topic 0 (32 bytes).
    public var topic0: [UInt8] { signatureHash }

    /// A function's selector: the first 4 bytes of the signature hash.
    public var selector: [UInt8] { Array(signatureHash[0..<4]) }

    /// The inputs carried in topics, in order.
    public var indexedInputs: [ABIParameter] { inputs.filter(\.indexed) }

    static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first == "_" || first == "$" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        return text.unicodeScalars.allSatisfy { $0 == "_" || $0 == "$" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }
}
