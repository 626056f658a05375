// ASCII helpers for hex strings: lower-casing and comparing without Unicode machinery.

import Foundation

extension UInt8 {
    /// The byte lower-cased if it is an ASCII capital (`str.lower()` on hex text).
    @inline(__always)
    var asciiLowercased: UInt8 { self >= UInt8(ascii: "A") && self <= UInt8(ascii: "Z") ? self | 0x20 : self }
}

extension UnsafeBufferPointer<UInt8> {
    /// Equality ignoring ASCII case, for hashes one node may send in another case.
    @inline(__always)
    func equalsIgnoringASCIICase(_ other: UnsafeBufferPointer<UInt8>) -> Bool {
        guard count == other.count else { return false }
        guard let left = baseAddress, let right = other.baseAddress else { return true }
        if memcmp(left, right, count) == 0 { return true } // the common case
        for index in 0..<count where left[index].asciiLowercased != right[index].asciiLowercased { return false }
        return true
    }

    /// Whether the bytes are exactly `word`'s.
    @inline(__always)
    func equals(_ word: StaticString) -> Bool {
        count == word.utf8CodeUnitCount && (count == 0 || memcmp(baseAddress!, word.utf8Start, count) == 0)
    }
}

extension String {
    /// Lower-cased copy, as Python's `str.lower()` does for addresses; returns `self` untouched
    /// when there is nothing to lower (the common case: nodes send lower-case hex).
    var asciiLowercased: String {
        let hasUpper = utf8.withContiguousStorageIfAvailable { bytes in
            bytes.contains { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }
        } ?? utf8.contains { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }
        if !hasUpper { return self }
        return String(decoding: utf8.map(\.asciiLowercased), as: UTF8.self)
    }

    /// Equality ignoring ASCII case, for hashes that one node may send in another case.
    func equalsIgnoringASCIICase(_ other: String) -> Bool {
        if self == other { return true } // the common case, and a fast byte compare
        var right = other
        return right.withUTF8 { equalsIgnoringASCIICase($0) }
    }

    /// The same against bytes (a span of a node's answer).
    func equalsIgnoringASCIICase(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var text = self
        return text.withUTF8 { $0.equalsIgnoringASCIICase(bytes) }
    }
}
