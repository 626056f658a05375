// Where a value lies in a response's bytes, for the CSV transcoder.

/// The content of a JSON string (between its quotes) as offsets into the value it was read from,
/// or, for a list member, the position of its items in a side array. No copy, no reference
/// count: the transcoder keeps thousands of these per window.
struct JSONSpan: Sendable {
    var start: Int32
    /// Bytes (or items) shifted left once, the low bit saying `hasComma`; negative for the two
    /// states a member can have besides a value. Eight bytes a span keeps objects small.
    private var packed: Int32

    /// The member was not in the object.
    static let absent = JSONSpan(start: 0, packed: -2)
    /// The member was `null`.
    static let null = JSONSpan(start: 0, packed: -1)
    /// The longest span: `plainString` gives up on longer text.
    static let maximumCount = Int(Int32.max >> 1)

    private init(start: Int32, packed: Int32) {
        self.start = start
        self.packed = packed
    }

    /// A span of `count` bytes (at most `maximumCount`) from `start`.
    init(start: Int, count: Int, hasComma: Bool = false) {
        self.start = Int32(truncatingIfNeeded: start)
        packed = Int32(truncatingIfNeeded: count << 1 | (hasComma ? 1 : 0))
    }

    /// A span of items `start..<start + count` of a side array.
    init(items start: Int, count: Int) {
        self.init(start: start, count: count)
    }

    /// Bytes or items; negative when absent (-2) or null (-1).
    var count: Int { packed < 0 ? Int(packed) : Int(packed >> 1) }

    /// Whether the text holds a comma: the one character of a plain string (no quotes, no
    /// control characters) that makes CSV quote it.
    var hasComma: Bool { packed > 0 && packed & 1 == 1 }

    var isAbsent: Bool { packed == -2 }
    /// Absent or null: what the mappers write as an empty cell.
    var isNull: Bool { packed < 0 }

    /// The range of items in a side array.
    var items: Range<Int> { Int(start)..<Int(start) + max(count, 0) }

    /// The bytes of this span in `base`.
    @inline(__always)
    func bytes(in base: UnsafePointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: base + Int(start), count: max(count, 0))
    }
}
