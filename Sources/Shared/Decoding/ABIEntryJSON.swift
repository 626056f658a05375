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
