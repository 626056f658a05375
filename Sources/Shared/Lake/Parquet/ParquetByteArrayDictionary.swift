// The distinct values of a BYTE_ARRAY column chunk, found by hashing: its dictionary page.

import Foundation

/// An open-addressing hash set of byte strings that numbers each distinct value in order of
/// first appearance. Lookups hash and compare in place, without allocating a key per value,
/// since it sees every value of a string column (hashes and addresses repeat a lot).
struct ParquetByteArrayDictionary {
    private(set) var values = ParquetByteArrays()
    private var hashes: [UInt64] = []
    /// Value index + 1 per slot; 0 is empty.
    private var slots: [UInt32] = Array(repeating: 0, count: 1024)

    var count: Int { values.count }
    /// The dictionary page's size in PLAIN encoding.
    var plainBytes: Int { values.bytes.count + 4 * values.count }

    /// The index of `value`, added if new.
    mutating func index(of value: UnsafeRawBufferPointer) -> UInt32 {
        let hash = Self.hash(value)
        var mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { break }
            let index = Int(entry - 1)
            if hashes[index] == hash && equals(index, value) { return UInt32(index) }
            slot = (slot + 1) & mask
        }
        let index = values.count
        values.append(value)
        hashes.append(hash)
        if (index + 1) * 2 > slots.count {
            grow()
            mask = slots.count - 1
            slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
        }
        slots[slot] = UInt32(index + 1)
        return UInt32(index)
    }

    mutating func removeAll() {
        values.removeAll()
        hashes.removeAll(keepingCapacity: true)
        if slots.count > 1 << 16 {
            slots = Array(repeating: 0, count: 1024)
        } else {
            for index in slots.indices { slots[index] = 0 }
        }
    }

    private func equals(_ index: Int, _ value: UnsafeRawBufferPointer) -> Bool {
        let range = values.range(index)
        guard range.count == value.count else { return false }
        guard range.count > 0 else { return true }
        return values.bytes.withUnsafeBufferPointer { memcmp($0.baseAddress! + range.lowerBound, value.baseAddress!, range.count) == 0 }
    }

    private mutating func grow() {
        slots = Array(repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for index in hashes.indices {
            var slot = Int(truncatingIfNeeded: hashes[index]) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = UInt32(index + 1)
        }
    }

    /// A fast 64-bit hash, eight bytes a step (multiply-xorshift mixing as in wyhash/FxHash);
    /// not for untrusted adversarial input, which a column of chain data is not.
    static func hash(_ value: UnsafeRawBufferPointer) -> UInt64 {
        let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(value.count)
        var offset = 0
        let count = value.count
        while offset + 8 <= count {
            let word = value.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            hash = (hash ^ word) &* multiplier
            hash ^= hash >> 29
            offset += 8
        }
        if offset < count {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while offset < count {
                tail |= UInt64(value[offset]) << shift
                shift += 8
                offset += 1
            }
            hash = (hash ^ tail) &* multiplier
            hash ^= hash >> 29
        }
        hash = (hash ^ (hash >> 32)) &* multiplier
        return hash ^ (hash >> 29)
    }
}
