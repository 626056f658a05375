// The writer's building blocks against the specification's own examples and a decoder.

import Testing
@testable import Shared

@Suite("Parquet encodings: RLE/bit-packed hybrid and Thrift compact protocol")
struct ParquetEncodingTests {
    /// A decoder written from Encodings.md, to check the encoder's runs (readers do the same).
    static func decodeHybrid(_ bytes: [UInt8], bitWidth: Int, count: Int) throws -> [UInt32] {
        var values: [UInt32] = []
        var position = 0
        func varint() throws -> UInt64 {
            var result: UInt64 = 0, shift: UInt64 = 0
            while true {
                let byte = try #require(position < bytes.count ? bytes[position] : nil, "truncated run header")
                position += 1
                result |= UInt64(byte & 0x7F) << shift
                if byte & 0x80 == 0 { return result }
                shift += 7
            }
        }
        while values.count < count {
            let header = try varint()
            if header & 1 == 1 {
                let groups = Int(header >> 1)
                var accumulator: UInt64 = 0, bits = 0
                for _ in 0..<(groups * 8) {
                    while bits < bitWidth {
                        accumulator |= UInt64(bytes[position]) << UInt64(bits)
                        position += 1
                        bits += 8
                    }
                    values.append(UInt32(accumulator & ((1 << UInt64(bitWidth)) - 1)))
                    accumulator >>= UInt64(bitWidth)
                    bits -= bitWidth
                }
            } else {
                var value: UInt32 = 0
                for byte in 0..<((bitWidth + 7) / 8) {
                    value |= UInt32(bytes[position]) << UInt32(8 * byte)
                    position += 1
                }
                values.append(contentsOf: repeatElement(value, count: Int(header >> 1)))
            }
        }
        #expect(position == bytes.count, "trailing bytes after the runs")
        return Array(values.prefix(count))
    }

    static func encode(_ values: [UInt32], bitWidth: Int) -> [UInt8] {
        var out: [UInt8] = []
        values.withUnsafeBufferPointer { ParquetHybridEncoder.encode($0, bitWidth: bitWidth, into: &out) }
        return out
    }

    @Test("bit-packing matches Encodings.md's example (0…7 in three bits)")
    func specificationExample() {
        #expect(Self.encode([0, 1, 2, 3, 4, 5, 6, 7], bitWidth: 3) == [0x03, 0b1000_1000, 0b1100_0110, 0b1111_1010])
    }

    @Test("a long run of one value is a single RLE run")
    func rleRun() {
        #expect(Self.encode(Array(repeating: 1, count: 1_000), bitWidth: 1) == [0xD0, 0x0F, 0x01])
        #expect(Self.encode(Array(repeating: 300, count: 10), bitWidth: 9) == [20, 0x2C, 0x01])
    }

    @Test("mixed runs and literals decode to the values, at every bit width", arguments: [1, 2, 3, 7, 8, 13, 17, 32])
    func roundTrip(bitWidth: Int) throws {
        var state: UInt64 = UInt64(bitWidth)
        let limit = bitWidth == 32 ? UInt64(UInt32.max) : (UInt64(1) << UInt64(bitWidth)) - 1
        var values: [UInt32] = []
        while values.count < 5_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let value = UInt32((state >> 33) % (limit + 1))
            let run = Int(state >> 60) % 4 == 0 ? Int((state >> 20) % 40) + 1 : 1
            values.append(contentsOf: repeatElement(value, count: run))
        }
        for count in [0, 1, 7, 8, 9, 503, 504, 505, values.count] {
            let slice = Array(values.prefix(count))
            #expect(try Self.decodeHybrid(Self.encode(slice, bitWidth: bitWidth), bitWidth: bitWidth, count: count) == slice, "\(count) values")
        }
    }

    @Test("definition levels: nulls and values in runs and alternation decode exactly")
    func definitionLevels() throws {
        let levels: [UInt8] = (0..<2_000).map { $0 % 3 == 0 || ($0 > 1_000 && $0 < 1_500) ? 0 : 1 }
        var out: [UInt8] = []
        levels.withUnsafeBufferPointer { ParquetHybridEncoder.encode($0, bitWidth: 1, into: &out) }
        #expect(try Self.decodeHybrid(out, bitWidth: 1, count: levels.count) == levels.map(UInt32.init))
    }

    @Test("Thrift compact: short and long field deltas, zigzag varints, booleans, lists, nested structs")
    func thriftCompact() {
        var writer = ParquetThriftWriter()
        writer.field(1, i32: 1)
        writer.field(2, i64: -1)
        writer.field(20, i32: 300)
        writer.field(21, bool: true)
        writer.field(22, struct: { inner in
            inner.field(1, bool: false)
            inner.field(3, string: "ab")
        })
        writer.field(23, listOf: .i32, count: 2) { list in
            list.element(i32: 0)
            list.element(i32: -2)
        }
        writer.stop()
        #expect(writer.bytes == [
            0x15, 0x02,                 // field 1 i32: zigzag(1) = 2
            0x16, 0x01,                 // field 2 i64: zigzag(-1) = 1
            0x05, 0x28, 0xD8, 0x04,     // field 20 (delta 18): long form, id zigzag 40, value zigzag 600
            0x11,                       // field 21 bool true
            0x1C, 0x12, 0x28, 0x02, 0x61, 0x62, 0x00, // field 22 struct { 1: false, 3: "ab" }
            0x19, 0x25, 0x00, 0x03,     // field 23 list<i32> [0, -2]
            0x00,
        ])
    }
}
