// The ABI JSON of one event or function, as solc and Etherscan write it (and definition files hold).

/// The JSON form of an ABI entry; fields other than these (`outputs`, `stateMutability`,
/// `internalType`…) are read by nobody and ignored.
public struct ABIEntryJSON: Decodable, Sendable, Equatable {
    public var type: String?
    public var name: String?
    public var inputs: [ABIParameterJSON]?
    public var anonymous: Bool?

    public init(type: String?, name: String?, inputs: [ABIParameterJSON]?, anonymous: Bool? = nil) {
        self.type = type
        self.name = name
        self.inputs = inputs
        self.anonymous = anonymous
    }
}

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
