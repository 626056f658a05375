// The Solidity ABI type system: value types, bytes and string, fixed and dynamic arrays, tuples.

/// One Solidity ABI type, as a tree (`(uint256,bytes)[2][]` is an array of arrays of a tuple).
public indirect enum ABIType: Hashable, Sendable {
    /// `uintN`, N in 8…256 by 8.
    case uint(bits: Int)
    /// `intN`, N in 8…256 by 8 (two's complement).
    case int(bits: Int)
    case address
    case bool
    /// `bytesN`, N in 1…32.
    case fixedBytes(Int)
    /// `bytes`: dynamic length.
    case bytes
    /// `string`: dynamic length, UTF-8.
    case string
    /// `T[k]` (length `k`) or `T[]` (length nil: dynamic).
    case array(ABIType, length: Int?)
    /// `(T1,T2,…)`; component names key the JSON object a decoded tuple becomes.
    case tuple([ABIComponent])

    /// The type as it appears in a canonical signature: `uint256`, `(address,bytes)[]`.
    public var canonical: String {
        switch self {
        case .uint(let bits): "uint\(bits)"
        case .int(let bits): "int\(bits)"
        case .address: "address"
        case .bool: "bool"
        case .fixedBytes(let size): "bytes\(size)"
        case .bytes: "bytes"
        case .string: "string"
        case .array(let element, let length): element.canonical + (length.map { "[\($0)]" } ?? "[]")
        case .tuple(let components): "(" + components.map(\.type.canonical).joined(separator: ",") + ")"
        }
    }

    /// Dynamic types are encoded in the tail, behind a 32-byte offset in the head.
    public var isDynamic: Bool {
        switch self {
        case .bytes, .string: true
        case .array(let element, let length): length == nil || element.isDynamic
        case .tuple(let components): components.contains { $0.type.isDynamic }
        default: false
        }
    }

    /// Bytes the type takes in the head of its enclosing tuple: 32 for dynamic types (the offset),
    /// the full encoded size for static ones. Parsing caps static sizes at `maxStaticSize`, so for
    /// parsed types this cannot overflow.
    public var headSize: Int {
        if isDynamic { return 32 }
        switch self {
        case .array(let element, let length): return element.headSize * (length ?? 0)
        case .tuple(let components): return components.reduce(0) { $0 + $1.type.headSize }
        default: return 32
        }
    }

    /// Whether an indexed parameter of this type is stored as the Keccak hash of its encoding
    /// rather than its value: strings, bytes, arrays and tuples (ethers' rule, even for static ones).
    public var isHashedWhenIndexed: Bool {
        switch self {
        case .bytes, .string, .array, .tuple: true
        default: false
        }
    }
}
