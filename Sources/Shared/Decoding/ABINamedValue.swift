// A named member of a decoded tuple.

/// One member of a decoded tuple, named as its ABI component is.
public struct ABINamedValue: Hashable, Sendable {
    public var name: String
    public var value: ABIValue

    public init(name: String, value: ABIValue) {
        self.name = name
        self.value = value
    }
}
