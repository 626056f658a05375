// Decoding one eth_call return value as web3.py 5 / eth-abi 2 decode it, nil wherever they raise.

import Foundation

/// ethereum-etl ignores the decoding errors of a token call (the value becomes None), so each
/// function returns nil exactly where eth-abi raises: data too short, non-zero padding, invalid
/// UTF-8. Text has its NUL characters removed (ethereum-etl's `clean_user_provided_content`).
public enum ABIDecoding {
    /// A dynamic `string`: a 32-byte offset, at it a 32-byte length, then the bytes, zero-padded to 32.
    public static func string(_ data: [UInt8]) -> String? {
        guard let offset = word(data, at: 0), let start = Int(exactly: offset), start <= data.count,
              let length = word(data, at: start), let count = Int(exactly: length), count <= data.count else { return nil }
        let padded = (count + 31) / 32 * 32
        let body = start + 32
        guard body + padded <= data.count else { return nil }
        guard data[(body + count)..<(body + padded)].allSatisfy({ $0 == 0 }) else { return nil }
        return text(Array(data[body..<(body + count)]))
    }

    /// A `bytes32` read as UTF-8 text (all 32 bytes, then NULs removed), as `_bytes_to_string` does.
    public static func bytes32String(_ data: [UInt8]) -> String? {
        guard data.count >= 32 else { return nil }
        return text(Array(data[0..<32]))
    }

    /// A `uint8`: the first word, whose first 31 bytes must be zero.
    public static func uint8(_ data: [UInt8]) -> String? {
        guard data.count >= 32, data[0..<31].allSatisfy({ $0 == 0 }) else { return nil }
        return String(data[31])
    }

    /// A `uint256` in decimal.
    public static func uint256(_ data: [UInt8]) -> String? {
        guard data.count >= 32 else { return nil }
        let hex = "0x" + data[0..<32].map { String($0, radix: 16).leftPadded(to: 2) }.joined()
        return HexText.decimal(hex)
    }

    /// The 32-byte big-endian word at `offset` when it fits in 64 bits; nil when the data is too
    /// short, or the value is too large to point inside any answer (eth-abi fails on those too).
    static func word(_ data: [UInt8], at offset: Int) -> UInt64? {
        guard offset >= 0, offset + 32 <= data.count else { return nil }
        guard data[offset..<(offset + 24)].allSatisfy({ $0 == 0 }) else { return nil }
        var value: UInt64 = 0
        for byte in data[(offset + 24)..<(offset + 32)] { value = value << 8 | UInt64(byte) }
        return value
    }

    /// Strict UTF-8 (Python's `decode('utf-8')`), NULs removed.
    static func text(_ bytes: [UInt8]) -> String? {
        guard let text = String(validating: bytes, as: UTF8.self) else { return nil }
        return text.contains("\u{0}") ? text.replacingOccurrences(of: "\u{0}", with: "") : text
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
