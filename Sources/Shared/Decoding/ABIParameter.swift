// One input of an event or function: its name, type, and (for events) whether it is indexed.

/// An event or function input. Indexed event inputs travel in topics, the rest in the data.
public struct ABIParameter: Hashable, Sendable {
    public var name: String
    public var type: ABIType
    public var indexed: Bool

    public init(name: String, type: ABIType, indexed: Bool = false) {
        self.name = name
        self.type = type
        self.indexed = indexed
    }
}
