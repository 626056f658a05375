// One token as ethereum-etl's EthToken holds it: metadata read with eth_call.

/// Symbol, name, decimals and total supply of an ERC20/ERC721 contract; nil where every call
/// failed, reverted or returned something that does not decode.
public struct TokenRecord: Sendable, Equatable {
    public var address: String
    public var symbol: String?
    public var name: String?
    /// Decimal text.
    public var decimals: String?
    /// Decimal text.
    public var totalSupply: String?
    public var blockNumber: UInt64?

    public init(address: String, symbol: String? = nil, name: String? = nil, decimals: String? = nil, totalSupply: String? = nil, blockNumber: UInt64? = nil) {
        self.address = address
        self.symbol = symbol
        self.name = name
        self.decimals = decimals
        self.totalSupply = totalSupply
        self.blockNumber = blockNumber
    }

    /// The calls `EthTokenService.get_token` may make, each answered once (a call's answer does
    /// not depend on the ABI used to decode it, so the fallbacks reuse these).
    public enum Call: CaseIterable, Sendable {
        case symbol, symbolUpper, name, nameUpper, decimals, decimalsUpper, totalSupply

        /// The 4-byte selector, as call data.
        public var data: String {
            switch self {
            case .symbol: return "0x95d89b41"
            case .symbolUpper: return "0xf76f8d78"
            case .name: return "0x06fdde03"
            case .nameUpper: return "0xa3f4df7e"
            case .decimals: return "0x313ce567"
            case .decimalsUpper: return "0x2e0f2625"
            case .totalSupply: return "0x18160ddd"
            }
        }
    }

    /// The token from the answers of its calls (nil: the call failed), with ethereum-etl's order
    /// of fallbacks: `symbol()` then `SYMBOL()` as string, then both as bytes32; the same for
    /// the name; `decimals()` then `DECIMALS()` as uint8; `totalSupply()` as uint256. An empty
    /// string is a result (it stops the fallbacks); NUL characters are removed from text.
    public init(address: String, answers: [Call: [UInt8]], blockNumber: UInt64?) {
        self.init(address: address, blockNumber: blockNumber)
        func first<T>(_ calls: [Call], _ decode: ([UInt8]) -> T?) -> T? {
            for call in calls { if let data = answers[call], let value = decode(data) { return value } }
            return nil
        }
        symbol = first([.symbol, .symbolUpper], ABIDecoding.string) ?? first([.symbol, .symbolUpper], ABIDecoding.bytes32String)
        name = first([.name, .nameUpper], ABIDecoding.string) ?? first([.name, .nameUpper], ABIDecoding.bytes32String)
        decimals = first([.decimals, .decimalsUpper], ABIDecoding.uint8)
        totalSupply = first([.totalSupply], ABIDecoding.uint256)
    }
}
