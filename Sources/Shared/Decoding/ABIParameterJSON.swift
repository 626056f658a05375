// The ABI JSON of one input or tuple component.

/// The JSON form of one input (or tuple component).
public struct ABIParameterJSON: Decodable, Sendable, Equatable {
    public var name: String?
    public var type: String
    public var indexed: Bool?
    public var components: [ABIParameterJSON]?

    public init(name: String?, type: String, indexed: Bool? = nil, components: [ABIParameterJSON]? = nil) {
        self.name = name
        self.type = type
        self.indexed = indexed
        self.components = components
    }

    /// The type this input declares, with its tuple components resolved.
    public func abiType() throws -> ABIType {
        let members = try components.map { list in
            try list.map { ABIComponent(name: $0.name ?? "", type: try $0.abiType()) }
        }
        return try ABIType(parsing: type, components: members)
    }
}
