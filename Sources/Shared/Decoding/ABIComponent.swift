// A named member of a tuple type.

/// One named member of a tuple type (or one parameter of an event or function).
public struct ABIComponent: Hashable, Sendable {
    public var name: String
    public var type: ABIType

    public init(name: String, type: ABIType) {
        self.name = name
        self.type = type
    }
}
