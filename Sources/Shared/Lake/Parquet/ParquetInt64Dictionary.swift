// The distinct values of an INT64 column chunk, found by hashing: its dictionary page.

/// An open-addressing hash set of integers that numbers each distinct value in order of first
/// appearance. A multiplicative hash instead of `Dictionary`'s seeded SipHash: this sees every
/// value of every integer column, and SipHash was a tenth of the writer's time.
struct ParquetInt64Dictionary {
    private(set) var values: [Int64] = []
    /// Value index + 1 per slot; 0 is empty.
    private var slots: [UInt32] = Array(repeating: 0, count: 1024)

    var count: Int { values.count }

    /// The index of `value`, added if new.
    mutating func index(of value: Int64) -> UInt32 {
        var mask = slots.count - 1
        var slot = Self.slot(value, mask)
        while true {
            let entry = slots[slot]
            if entry == 0 { break }
            if values[Int(entry - 1)] == value { return entry - 1 }
            slot = (slot + 1) & mask
        }
        let index = values.count
        values.append(value)
        if (index + 1) * 2 > slots.count {
            grow()
            mask = slots.count - 1
            slot = Self.slot(value, mask)
            while slots[slot] != 0 { slot = (slot + 1) & mask }
        }
        slots[slot] = UInt32(index + 1)
        return UInt32(index)
    }

    mutating func removeAll() {
        values.removeAll(keepingCapacity: true)
        if slots.count > 1 << 16 {
            slots = Array(repeating: 0, count: 1024)
        } else {
            for index in slots.indices { slots[index] = 0 }
        }
    }

    private mutating func grow() {
        slots = Array(repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for (index, value) in values.enumerated() {
            var slot = Self.slot(value, mask)
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = UInt32(index + 1)
        }
    }

    private static func slot(_ value: Int64, _ mask: Int) -> Int {
        var hash = UInt64(bitPattern: value) &* 0x9E37_79B9_7F4A_7C15
        hash ^= hash >> 29
        return Int(truncatingIfNeeded: hash) & mask
    }
}
