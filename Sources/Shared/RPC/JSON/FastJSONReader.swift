// A strict, in-place JSON scanner over UTF-8 bytes, used by the fast batch decode.

import Foundation
import NIOCore

/// Reads JSON values straight from a response body's bytes, without building a JSON tree.
///
/// It exists because Foundation's `JSONDecoder` dominated the export's CPU time. It accepts
/// only what RFC 8259 accepts and, beyond that, gives up (`Unsupported`) on anything unusual:
/// escaped keys, duplicate keys, numbers where text is expected, odd ids, deep nesting. Giving up
/// is always safe, because `RPCBatchDecoding` then decodes the same bytes with `JSONDecoder`,
/// which decides and reports the error with its usual block and field path. Being lenient would
/// not be safe, so every value — even one that is skipped — is fully validated.
struct FastJSONReader {
    /// The input is not something the fast path handles; decode it with `JSONDecoder` instead.
    struct Unsupported: Error {}

    /// A key as it appears in the input (never escaped: escaped keys give up).
    struct Key {
        let start: UnsafePointer<UInt8>
        let count: Int

        /// Whether the key is exactly `name`.
        @inline(__always)
        func `is`(_ name: StaticString) -> Bool {
            count == name.utf8CodeUnitCount && memcmp(start, name.utf8Start, count) == 0
        }
    }

    /// JSONDecoder refuses nesting beyond 512; we give up well before, so the two never disagree.
    private static let maximumDepth = 128

    private let base: UnsafePointer<UInt8>
    private let end: Int
    private var position = 0

    /// The buffer whose readable bytes are the input, when known: `readRebased` then hands out
    /// slices of it instead of copies.
    private let owner: ByteBuffer?

    /// A reader over `bytes`, which must outlive it; `owner` is the buffer they are the readable bytes of.
    init(_ bytes: UnsafeRawBufferPointer, owner: ByteBuffer? = nil) throws(Unsupported) {
        guard let start = bytes.baseAddress, bytes.count > 0 else { throw Unsupported() }
        base = start.assumingMemoryBound(to: UInt8.self)
        end = bytes.count
        self.owner = owner.flatMap { $0.readableBytes == bytes.count ? $0 : nil }
    }

    private init(base: UnsafePointer<UInt8>, count: Int) {
        self.base = base
        end = count
        owner = nil
    }

    // MARK: Structure

    /// Consumes `{`; true when the object has members (then the caller reads `key()` first).
    mutating func enterObject() throws(Unsupported) -> Bool {
        try expect(UInt8(ascii: "{"))
        skipSpace()
        if position < end && base[position] == UInt8(ascii: "}") {
            position += 1
            return false
        }
        return true
    }

    /// After a member's value: true on `,` (another key follows), false on `}`.
    mutating func nextMember() throws(Unsupported) -> Bool {
        skipSpace()
        guard position < end else { throw Unsupported() }
        switch base[position] {
        case UInt8(ascii: ","): position += 1; return true
        case UInt8(ascii: "}"): position += 1; return false
        default: throw Unsupported()
        }
    }

    /// Consumes `[`; true when the array has elements.
    mutating func enterArray() throws(Unsupported) -> Bool {
        try expect(UInt8(ascii: "["))
        skipSpace()
        if position < end && base[position] == UInt8(ascii: "]") {
            position += 1
            return false
        }
        return true
    }

    /// After an element: true on `,` (another element follows), false on `]`.
    mutating func nextElement() throws(Unsupported) -> Bool {
        skipSpace()
        guard position < end else { throw Unsupported() }
        switch base[position] {
        case UInt8(ascii: ","): position += 1; return true
        case UInt8(ascii: "]"): position += 1; return false
        default: throw Unsupported()
        }
    }

    /// A member's key and its `:`.
    mutating func key() throws(Unsupported) -> Key {
        try expect(UInt8(ascii: "\""))
        let start = position
        skipPlainASCII()
        while position < end {
            let byte = base[position]
            if byte == UInt8(ascii: "\"") {
                let key = Key(start: base + start, count: position - start)
                position += 1
                try expect(UInt8(ascii: ":"))
                return key
            }
            // Escapes, control characters and non-ASCII keys are none of ours: give up.
            if byte == UInt8(ascii: "\\") || byte < 0x20 || byte >= 0x80 { throw Unsupported() }
            position += 1
        }
        throw Unsupported()
    }

    /// The first non-space byte ahead, without consuming it.
    mutating func peek() throws(Unsupported) -> UInt8 {
        skipSpace()
        guard position < end else { throw Unsupported() }
        return base[position]
    }

    /// Consumes `null` if it comes next.
    mutating func consumeNull() -> Bool {
        skipSpace()
        if end - position >= 4 && base[position] == UInt8(ascii: "n") && base[position + 1] == UInt8(ascii: "u")
            && base[position + 2] == UInt8(ascii: "l") && base[position + 3] == UInt8(ascii: "l") {
            position += 4
            return true
        }
        return false
    }

    /// Requires that nothing but white space is left.
    mutating func finish() throws(Unsupported) {
        skipSpace()
        guard position == end else { throw Unsupported() }
    }

    // MARK: Values

    /// A JSON string, unescaped.
    mutating func string() throws(Unsupported) -> String {
        try expect(UInt8(ascii: "\""))
        let start = position
        skipPlainASCII()
        var ascii = true
        while position < end {
            let byte = base[position]
            if byte == UInt8(ascii: "\"") {
                let bytes = UnsafeBufferPointer(start: base + start, count: position - start)
                position += 1
                if ascii { return String(decoding: bytes, as: UTF8.self) }
                guard let text = String(validating: bytes, as: UTF8.self) else { throw Unsupported() }
                return text
            }
            if byte == UInt8(ascii: "\\") { return try escapedString(from: start) }
            if byte < 0x20 { throw Unsupported() }
            if byte >= 0x80 { ascii = false }
            position += 1
        }
        throw Unsupported()
    }

    /// A string with no escapes and only printable ASCII, as the place of its content in the
    /// input; anything else gives up. The CSV transcoder copies such text straight to its output
    /// and leaves rarer strings to the decoding path.
    mutating func plainString() throws(Unsupported) -> JSONSpan {
        try expect(UInt8(ascii: "\""))
        let start = position
        var hasComma = false
        while true {
            // A comma stops the fast scan too: CSV must quote such text.
            skipPlainASCII(stoppingAtCommas: true)
            guard position < end else { throw Unsupported() }
            let byte = base[position]
            if byte == UInt8(ascii: "\"") {
                guard position - start <= JSONSpan.maximumCount else { throw Unsupported() }
                let span = JSONSpan(start: start, count: position - start, hasComma: hasComma)
                position += 1
                return span
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 || byte >= 0x80 { throw Unsupported() }
            if byte == UInt8(ascii: ",") { hasComma = true }
            position += 1
        }
    }

    /// Reads the next value with a reader whose offsets start at that value, and returns it with
    /// that value's bytes — a slice of the owner buffer when there is one, else a copy — so the
    /// spans it holds stay valid. Offsets fit `Int32`: a longer value gives up.
    mutating func readRebased<Value>(_ body: (inout FastJSONReader) throws(Unsupported) -> Value) throws(Unsupported) -> (value: Value, bytes: SpanBytes) {
        skipSpace()
        var inner = FastJSONReader(base: base + position, count: min(end - position, Int(Int32.max)))
        let value = try body(&inner)
        let bytes: SpanBytes
        if let owner, let slice = owner.getSlice(at: owner.readerIndex + position, length: inner.position) {
            bytes = .shared(slice)
        } else {
            bytes = .copied([UInt8](UnsafeRawBufferPointer(start: base + position, count: inner.position)))
        }
        position += inner.position
        return (value, bytes)
    }

    /// Skips the next value the validating way, or rewinds to `offset` first (after a reader
    /// that gave up part-way through it).
    mutating func skipValue(from offset: Int) throws(Unsupported) {
        position = offset
        try skipValue(depth: 0)
    }

    /// Where the next byte is read.
    var offset: Int {
        mutating get {
            skipSpace()
            return position
        }
    }

    /// A JSON string, or nil for `null`.
    mutating func optionalString() throws(Unsupported) -> String? {
        consumeNull() ? nil : try string()
    }

    /// A JSON integer that fits an Int64; anything else (fraction, exponent, overflow) gives up.
    mutating func int64() throws(Unsupported) -> Int64 {
        skipSpace()
        let start = position
        let integer = try skipNumber()
        guard integer else { throw Unsupported() }
        var value: Int64 = 0
        var index = start
        let negative = base[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        while index < position {
            let digit = Int64(base[index] &- UInt8(ascii: "0"))
            let (times, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowB) = negative ? times.subtractingReportingOverflow(digit) : times.addingReportingOverflow(digit)
            guard !overflowA && !overflowB else { throw Unsupported() }
            value = next
            index += 1
        }
        return value
    }

    /// A required member into `field`; a duplicate key or `null` gives up.
    @inline(__always)
    mutating func required<Value: FastJSONDecodable>(_ field: inout Value?) throws(Unsupported) {
        if case .some = field { throw Unsupported() }
        field = try Value.read(from: &self)
    }

    /// An optional member into `field`: `null` becomes `.some(nil)`, so a later duplicate is still seen.
    @inline(__always)
    mutating func optional<Value: FastJSONDecodable>(_ field: inout Value??) throws(Unsupported) {
        if case .some = field { throw Unsupported() }
        field = .some(consumeNull() ? nil : try Value.read(from: &self))
    }

    /// Validates and skips any JSON value.
    mutating func skipValue() throws(Unsupported) {
        try skipValue(depth: 0)
    }

    // MARK: Any value (the iterative tree of `JSONValue`)

    /// A member's key, escaped or not, and its `:`.
    mutating func keyText() throws(Unsupported) -> String {
        let text = try string()
        try expect(UInt8(ascii: ":"))
        return text
    }

    /// A JSON number's text, validated.
    mutating func numberText() throws(Unsupported) -> String {
        skipSpace()
        let start = position
        _ = try skipNumber()
        return String(decoding: UnsafeBufferPointer(start: base + start, count: position - start), as: UTF8.self)
    }

    /// `true`, `false` or `null` (nil).
    mutating func literalValue() throws(Unsupported) -> Bool? {
        switch try peek() {
        case UInt8(ascii: "t"): try literal("true"); return true
        case UInt8(ascii: "f"): try literal("false"); return false
        default: try literal("null"); return nil
        }
    }

    // MARK: Internals

    /// Advances eight bytes at a time over string content that needs no attention: printable
    /// ASCII other than `"` and `\\`. It stops at the first byte that does (a quote, an escape, a
    /// control character or non-ASCII), which the caller then reads; fewer than eight bytes from
    /// the end it stops where it is and the caller reads on byte by byte.
    /// Hashes, addresses and calldata are most of a response's bytes, so this is the hot loop.
    @inline(__always)
    private mutating func skipPlainASCII(stoppingAtCommas: Bool = false) {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quotes = ones &* UInt64(UInt8(ascii: "\""))
        let backslashes = ones &* UInt64(UInt8(ascii: "\\"))
        let commas = ones &* UInt64(UInt8(ascii: ","))
        let raw = UnsafeRawPointer(base)
        while end - position >= 8 {
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: position, as: UInt64.self))
            let quote = word ^ quotes
            let backslash = word ^ backslashes
            // A byte is flagged when it is zero after the XOR (quote, backslash, comma), below
            // 0x20, or has its high bit set; borrows can only flag bytes above a truly flagged one.
            var flagged = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((word &- ones &* 0x20) & ~word) | word
            if stoppingAtCommas {
                let comma = word ^ commas
                flagged |= (comma &- ones) & ~comma
            }
            // The lowest flagged byte is a true one: go straight to it.
            let hits = flagged & highs
            if hits != 0 {
                position += hits.trailingZeroBitCount &>> 3
                return
            }
            position += 8
        }
    }

    @inline(__always)
    private mutating func skipSpace() {
        while position < end {
            let byte = base[position]
            guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return }
            position += 1
        }
    }

    @inline(__always)
    private mutating func expect(_ byte: UInt8) throws(Unsupported) {
        skipSpace()
        guard position < end && base[position] == byte else { throw Unsupported() }
        position += 1
    }

    private mutating func skipValue(depth: Int) throws(Unsupported) {
        guard depth < Self.maximumDepth else { throw Unsupported() }
        switch try peek() {
        case UInt8(ascii: "\""):
            try skipString()
        case UInt8(ascii: "{"):
            if try enterObject() {
                repeat {
                    _ = try key()
                    try skipValue(depth: depth + 1)
                } while try nextMember()
            }
        case UInt8(ascii: "["):
            if try enterArray() {
                repeat {
                    try skipValue(depth: depth + 1)
                } while try nextElement()
            }
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default: _ = try skipNumber()
        }
    }

    /// Validates and skips a string without building it (a skipped `logsBloom` is 514 bytes).
    private mutating func skipString() throws(Unsupported) {
        let start = position
        try expect(UInt8(ascii: "\""))
        skipPlainASCII()
        while position < end {
            let byte = base[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return
            }
            // Escapes and non-ASCII text are rare here: validate them the thorough way.
            if byte == UInt8(ascii: "\\") || byte >= 0x80 {
                position = start
                _ = try string()
                return
            }
            if byte < 0x20 { throw Unsupported() }
            position += 1
        }
        throw Unsupported()
    }

    private mutating func literal(_ word: StaticString) throws(Unsupported) {
        let count = word.utf8CodeUnitCount
        guard end - position >= count && memcmp(base + position, word.utf8Start, count) == 0 else { throw Unsupported() }
        position += count
    }

    /// Skips an RFC 8259 number; true when it has neither fraction nor exponent.
    private mutating func skipNumber() throws(Unsupported) -> Bool {
        var integer = true
        if position < end && base[position] == UInt8(ascii: "-") { position += 1 }
        guard position < end else { throw Unsupported() }
        if base[position] == UInt8(ascii: "0") {
            position += 1
        } else {
            guard try digits() > 0 else { throw Unsupported() }
        }
        if position < end && base[position] == UInt8(ascii: ".") {
            position += 1
            integer = false
            guard try digits() > 0 else { throw Unsupported() }
        }
        if position < end && (base[position] == UInt8(ascii: "e") || base[position] == UInt8(ascii: "E")) {
            position += 1
            integer = false
            if position < end && (base[position] == UInt8(ascii: "+") || base[position] == UInt8(ascii: "-")) { position += 1 }
            guard try digits() > 0 else { throw Unsupported() }
        }
        return integer
    }

    private mutating func digits() throws(Unsupported) -> Int {
        let start = position
        while position < end && base[position] >= UInt8(ascii: "0") && base[position] <= UInt8(ascii: "9") { position += 1 }
        return position - start
    }

    /// The slow path of `string()`: the string starting at `start` has escapes.
    private mutating func escapedString(from start: Int) throws(Unsupported) -> String {
        var bytes = [UInt8](UnsafeBufferPointer(start: base + start, count: position - start))
        while position < end {
            let byte = base[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let text = String(validating: bytes, as: UTF8.self) else { throw Unsupported() }
                return text
            case UInt8(ascii: "\\"):
                guard position < end else { throw Unsupported() }
                let escape = base[position]
                position += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): bytes.append(escape)
                case UInt8(ascii: "b"): bytes.append(0x08)
                case UInt8(ascii: "f"): bytes.append(0x0C)
                case UInt8(ascii: "n"): bytes.append(0x0A)
                case UInt8(ascii: "r"): bytes.append(0x0D)
                case UInt8(ascii: "t"): bytes.append(0x09)
                case UInt8(ascii: "u"): try appendUnicodeEscape(to: &bytes)
                default: throw Unsupported()
                }
            case 0..<0x20:
                throw Unsupported()
            default:
                bytes.append(byte)
            }
        }
        throw Unsupported()
    }

    /// `\uXXXX` (after the `u`), joining a surrogate pair; a lone surrogate gives up.
    private mutating func appendUnicodeEscape(to bytes: inout [UInt8]) throws(Unsupported) {
        var value = UInt32(try hex4())
        if value >= 0xD800 && value < 0xDC00 {
            guard end - position >= 2 && base[position] == UInt8(ascii: "\\") && base[position + 1] == UInt8(ascii: "u") else {
                throw Unsupported()
            }
            position += 2
            let low = UInt32(try hex4())
            guard low >= 0xDC00 && low < 0xE000 else { throw Unsupported() }
            value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
        } else if value >= 0xDC00 && value < 0xE000 {
            throw Unsupported()
        }
        guard let scalar = Unicode.Scalar(value) else { throw Unsupported() }
        guard let encoded = UTF8.encode(scalar) else { throw Unsupported() }
        bytes.append(contentsOf: encoded)
    }

    private mutating func hex4() throws(Unsupported) -> UInt16 {
        guard end - position >= 4 else { throw Unsupported() }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = base[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw Unsupported()
            }
            value = value << 4 | UInt16(digit)
            position += 1
        }
        return value
    }
}
