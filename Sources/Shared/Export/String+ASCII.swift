// ASCII helpers for hex strings: lower-casing and comparing without Unicode machinery.

extension String {
    /// Lower-cased copy, as Python's `str.lower()` does for addresses; returns `self` untouched
    /// when there is nothing to lower (the common case: nodes send lower-case hex).
    var asciiLowercased: String {
        let hasUpper = utf8.withContiguousStorageIfAvailable { bytes in
            bytes.contains { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }
        } ?? utf8.contains { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }
        if !hasUpper { return self }
        return String(decoding: utf8.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    /// Equality ignoring ASCII case, for hashes that one node may send in another case.
    func equalsIgnoringASCIICase(_ other: String) -> Bool {
        if self == other { return true } // the common case, and a fast byte compare
        guard utf8.count == other.utf8.count else { return false }
        for (left, right) in zip(utf8, other.utf8) where left != right {
            let lowerLeft = left >= UInt8(ascii: "A") && left <= UInt8(ascii: "Z") ? left | 0x20 : left
            let lowerRight = right >= UInt8(ascii: "A") && right <= UInt8(ascii: "Z") ? right | 0x20 : right
            if lowerLeft != lowerRight { return false }
        }
        return true
    }
}
