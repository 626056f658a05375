// One decoded ABI value, as a tree that mirrors its type.

/// A decoded value. Integers keep their exact 256-bit value; text forms are in `ABIValue+Text`.
public indirect enum ABIValue: Hashable, Sendable {
    /// 20 bytes.
    case address([UInt8])
    case uint(ABIWord)
    /// A signed integer as magnitude and sign (`-2²⁵⁵` has magnitude 2²⁵⁵).
    case int(magnitude: ABIWord, negative: Bool)
    case bool(Bool)
    /// `bytesN`: exactly N bytes.
    case fixedBytes([UInt8])
    case bytes([UInt8])
    /// UTF-8 text with NUL characters removed (neither Postgres TEXT nor JSONB can hold U+0000).
    case string(String)
    case array([ABIValue])
    case tuple([ABINamedValue])
    /// An indexed string, bytes, array or tuple: only the Keccak hash of its encoding (the topic)
    /// is in the log, so the value is that 32-byte hash.
    case topicHash([UInt8])
}
