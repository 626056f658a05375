// Reading a Solidity type from an ABI JSON `type` string (plus `components` for tuples).

extension ABIType {
    /// Longest fixed array accepted (`T[k]`), and the largest static encoding: bounds that keep
    /// sizes far from overflow and a malformed definition from asking for gigabytes per row.
    public static let maxFixedLength = 65_536
    public static let maxStaticSize = 1 << 24
    /// Deepest nesting of arrays and tuples accepted.
    public static let maxDepth = 32

    /// Parses `text` as the ABI JSON writes a type: `uint256`, `bytes32[]`, `tuple[2][]` (with
    /// `components` giving the tuple's members), or an inline tuple `(uint256,address)[]` as in a
    /// signature (its members get empty names). `uint`/`int` mean `uint256`/`int256`.
    public init(parsing text: String, components: [ABIComponent]? = nil) throws {
        var parser = ABITypeTextParser(text: text, components: components)
        self = try parser.parseWhole()
    }
}
