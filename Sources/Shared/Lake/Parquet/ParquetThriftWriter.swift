// The Thrift compact protocol, write side only: what Parquet's footer and page headers are made of.

/// Encodes Thrift structs in the compact protocol (apache/thrift `doc/specs/thrift-compact-protocol.md`),
/// the encoding `parquet.thrift` prescribes. Only what Parquet writes is here: structs, lists,
/// booleans, integers and binaries. Fields must be written in increasing id order within a struct
/// (ids are sent as deltas when they fit in four bits).
struct ParquetThriftWriter {
    /// The compact protocol's type nibbles.
    enum CompactType: UInt8 {
        case booleanTrue = 1, booleanFalse = 2, byte = 3, i16 = 4, i32 = 5, i64 = 6, double = 7
        case binary = 8, list = 9, set = 10, map = 11, structure = 12
    }

    private(set) var bytes: [UInt8] = []
    private var lastFieldID: Int16 = 0
    private var enclosingFieldIDs: [Int16] = []

    init() { bytes.reserveCapacity(256) }

    // MARK: Fields

    mutating func field(_ id: Int16, i32 value: Int32) {
        fieldHeader(id, .i32)
        varint(zigzag(Int64(value)))
    }

    mutating func field(_ id: Int16, i64 value: Int64) {
        fieldHeader(id, .i64)
        varint(zigzag(value))
    }

    mutating func field(_ id: Int16, i16 value: Int16) {
        fieldHeader(id, .i16)
        varint(zigzag(Int64(value)))
    }

    mutating func field(_ id: Int16, i8 value: Int8) {
        fieldHeader(id, .byte)
        bytes.append(UInt8(bitPattern: value))
    }

    /// A boolean field carries its value in the type nibble.
    mutating func field(_ id: Int16, bool value: Bool) {
        fieldHeader(id, value ? .booleanTrue : .booleanFalse)
    }

    mutating func field(_ id: Int16, binary value: some Collection<UInt8>) {
        fieldHeader(id, .binary)
        varint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    mutating func field(_ id: Int16, string value: String) {
        field(id, binary: value.utf8)
    }

    /// A nested struct: `body` writes its fields; the stop byte is added here.
    mutating func field(_ id: Int16, struct body: (inout ParquetThriftWriter) -> Void) {
        fieldHeader(id, .structure)
        structBody(body)
    }

    /// A list field of `count` elements of `elementType`; `body` writes the elements with the
    /// element writers below.
    mutating func field(_ id: Int16, listOf elementType: CompactType, count: Int, body: (inout ParquetThriftWriter) -> Void) {
        fieldHeader(id, .list)
        if count < 15 {
            bytes.append(UInt8(count) << 4 | elementType.rawValue)
        } else {
            bytes.append(0xF0 | elementType.rawValue)
            varint(UInt64(count))
        }
        body(&self)
    }

    // MARK: List elements

    mutating func element(i32 value: Int32) { varint(zigzag(Int64(value))) }

    mutating func element(string value: String) {
        varint(UInt64(value.utf8.count))
        bytes.append(contentsOf: value.utf8)
    }

    mutating func element(struct body: (inout ParquetThriftWriter) -> Void) { structBody(body) }

    /// Ends the outermost struct (the message itself, e.g. `FileMetaData`).
    mutating func stop() { bytes.append(0) }

    // MARK: Encoding

    private mutating func structBody(_ body: (inout ParquetThriftWriter) -> Void) {
        enclosingFieldIDs.append(lastFieldID)
        lastFieldID = 0
        body(&self)
        bytes.append(0)
        lastFieldID = enclosingFieldIDs.removeLast()
    }

    private mutating func fieldHeader(_ id: Int16, _ type: CompactType) {
        let delta = Int(id) - Int(lastFieldID)
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(delta) << 4 | type.rawValue)
        } else {
            bytes.append(type.rawValue)
            varint(zigzag(Int64(id)))
        }
        lastFieldID = id
    }

    private mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    private func zigzag(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value << 1) ^ (value >> 63))
    }
}
