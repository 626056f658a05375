// Where a value lies in a response's bytes, for the CSV transcoder.

/// The content of a JSON string (between its quotes) as offsets into the value it was read from,
/// or, for a list member, the position of its items in a side array. No copy, no reference
/// count: the transcoder keeps thousands of these per window.
struct JSONSpan: Sendable {
    var start: Int32
    /// Bytes (or items); negative for the two states a member can have besides a value.
    var count: Int32

    /// Whether the text holds a comma: the one character of a plain string (no quotes, no
    /// control characters) that makes CSV quote it.
    var hasComma = false

    init(start: Int32, count: Int32, hasComma: Bool = false) {
        self.start = start
        self.count = count
        self.hasComma = hasComma
    }

    /// A span of items `start..<start + count` of a side array.
    init(items start: Int, count: Int) {
        self.start = Int32(truncatingIfNeeded: start)
        self.count = Int32(truncatingIfNeeded: count)
    }

    /// The range of items in a side array.
    var items: Range<Int> { Int(start)..<Int(start) + max(Int(count), 0) }

    /// The member was not in the object.
    static let absent = JSONSpan(start: 0, count: -2)
    /// The member was `null`.
    static let null = JSONSpan(start: 0, count: -1)

    var isAbsent: Bool { count == -2 }
    /// Absent or null: what the mappers write as an empty cell.
    var isNull: Bool { count < 0 }

    /// The bytes of this span in `base`.
    @inline(__always)
    func bytes(in base: UnsafePointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: base + Int(start), count: max(Int(count), 0))
    }
}
