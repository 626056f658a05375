// The decoder on hand-built encodings: head/tail layout, ethers' leniencies, and inputs that do not fit.

import Testing
@testable import Shared

@Suite("ABI decoder")
struct ABIDecoderTests {
    /// A 32-byte word holding `value` right-aligned.
    static func word(_ value: UInt64) -> [UInt8] {
        [UInt8](repeating: 0, count: 24) + (0..<8).reversed().map { UInt8(truncatingIfNeeded: value >> UInt64($0 * 8)) }
    }

    static func filled(_ byte: UInt8) -> [UInt8] { [UInt8](repeating: byte, count: 32) }

    static func text(_ types: [String], _ data: [UInt8], loose: Bool = false) throws -> [String] {
        try ABIDecoder.decode(types.map { try ABIType(parsing: $0) }, from: data, loose: loose).map(\.text)
    }

    @Test("uint256 and int256 extremes in exact decimal; intN sign-extends from N bits")
    func integers() throws {
        #expect(try Self.text(["uint256"], Self.filled(0xFF)) == ["115792089237316195423570985008687907853269984665640564039457584007913129639935"])
        #expect(try Self.text(["int256"], Self.filled(0xFF)) == ["-1"])
        #expect(try Self.text(["int256"], [0x80] + [UInt8](repeating: 0, count: 31)) == ["-57896044618658097711785492504343953926634992332820282019728792003956564819968"])
        #expect(try Self.text(["int256"], [0x7F] + [UInt8](repeating: 0xFF, count: 31)) == ["57896044618658097711785492504343953926634992332820282019728792003956564819967"])
        #expect(try Self.text(["int8", "int8", "int24"], Self.word(0x80) + Self.word(0x7F) + Self.word(0xFF_FFFF)) == ["-128", "127", "-1"])
        #expect(try Self.text(["uint256"], Self.word(0)) == ["0"])
        #expect(try Self.text(["uint128"], Self.word(UInt64.max)) == ["18446744073709551615"])
        // 2^64 crosses a limb; 10^19 is the chunk size of the decimal conversion.
        var twoTo64 = Self.word(0)
        twoTo64[23] = 1
        #expect(try Self.text(["uint256"], twoTo64) == ["18446744073709551616"])
        #expect(try Self.text(["uint256"], Self.word(10_000_000_000_000_000_000)) == ["10000000000000000000"])
    }

    @Test("ethers' leniencies: uintN keeps the low N bits, any non-zero bool is true, bytesN ignores the rest")
    func leniencies() throws {
        #expect(try Self.text(["uint8"], Self.filled(0xFF)) == ["255"])
        #expect(try Self.text(["bool", "bool"], Self.word(0) + Self.word(2)) == ["false", "true"])
        let word = (1...32).map { UInt8($0) }
        #expect(try Self.text(["bytes2"], word) == ["0x0102"])
    }

    @Test("addresses are lower-case hex; high bytes set do not fit")
    func addresses() throws {
        let address = [UInt8](repeating: 0, count: 12) + [UInt8](repeating: 0xAB, count: 20)
        #expect(try Self.text(["address"], address) == ["0x" + String(repeating: "ab", count: 20)])
        #expect(throws: ABIDecodeError.self) { try Self.text(["address"], Self.filled(0xAB)) }
    }

    @Test("dynamic values sit behind offsets: bytes, string, arrays, tuples, nested")
    func headAndTail() throws {
        // (uint256 a, string s, uint256[] list): head of 3 words, then s, then list.
        var data = Self.word(7) + Self.word(96) + Self.word(160)
        data += Self.word(6) + Array("héllo".utf8) + [UInt8](repeating: 0, count: 26)
        data += Self.word(2) + Self.word(1) + Self.word(2)
        let values = try ABIDecoder.decode([.uint(bits: 256), .string, .array(.uint(bits: 256), length: nil)], from: data)
        #expect(values == [.uint(ABIWord(7)), .string("héllo"), .array([.uint(ABIWord(1)), .uint(ABIWord(2))])])
        #expect(values.map(\.text) == ["7", "héllo", #"["1","2"]"#])
    }

    @Test("a tuple with a dynamic member is an offset; its members' offsets count from the tuple")
    func dynamicTuple() throws {
        let type = try ABIType(parsing: "(uint256,bytes)")
        // head: offset 32 -> tuple at 32: [uint 9][offset 64 (from 32)][len 2][0xbeef…]
        let data = Self.word(32) + Self.word(9) + Self.word(64) + Self.word(2) + [0xBE, 0xEF] + [UInt8](repeating: 0, count: 30)
        let values = try ABIDecoder.decode([type], from: data)
        #expect(values[0].jsonText == #"{"0":"9","1":"0xbeef"}"#)
    }

    @Test("offsets, lengths and counts past the data do not fit, with a reason")
    func outOfBounds() throws {
        let cases: [([String], [UInt8])] = [
            (["uint256"], Array(Self.word(1).prefix(31))),
            (["bytes"], Self.word(4096)),
            (["bytes"], Self.word(32) + Self.word(64)),
            (["string"], Self.word(32) + Self.filled(0xFF)),
            (["uint256[]"], Self.word(32) + Self.word(1_000_000)),
            (["uint256[3]"], Self.word(1) + Self.word(2)),
            (["(uint256,bytes)[]"], Self.word(32) + Self.word(2) + Self.word(0) + Self.word(999)),
        ]
        for (types, data) in cases {
            do {
                let values = try Self.text(types, data)
                Issue.record("\(types) decoded \(values)")
            } catch let error as ABIDecodeError {
                #expect(error.code == .doesNotFit)
                #expect(!error.reason.isEmpty)
            }
        }
    }

    @Test("strict call data needs padding after dynamic bytes; loose event data does not")
    func padding() throws {
        let data = Self.word(32) + Self.word(3) + [1, 2, 3]
        #expect(throws: ABIDecodeError.self) { try Self.text(["bytes"], data) }
        #expect(try Self.text(["bytes"], data, loose: true) == ["0x010203"])
    }

    @Test("invalid UTF-8 does not fit; NULs are dropped from strings")
    func strings() throws {
        #expect(throws: ABIDecodeError.self) { try Self.text(["string"], Self.word(32) + Self.word(2) + [0xC3, 0x28] + [UInt8](repeating: 0, count: 30)) }
        #expect(try Self.text(["string"], Self.word(32) + Self.word(3) + [0x61, 0x00, 0x62] + [UInt8](repeating: 0, count: 29)) == ["ab"])
    }

    @Test("offsets that all point at one tail cannot blow up the output")
    func sharedTails() throws {
        // uint256[][] with 200 offsets all pointing at one array of 500 elements.
        let count = 200, inner = 500
        var data = Self.word(32) + Self.word(UInt64(count))
        let tail = UInt64(count * 32)
        for _ in 0..<count { data += Self.word(tail) }
        data += Self.word(UInt64(inner))
        for index in 0..<inner { data += Self.word(UInt64(index)) }
        #expect(throws: ABIDecodeError.self) { try Self.text(["uint256[][]"], data) }
    }

    @Test("random bytes never trap: each input decodes or does not fit")
    func fuzz() throws {
        var generator = SystemRandomNumberGenerator()
        let types = try ["uint256", "(uint8,bytes)[]", "string[2]", "bytes32[][]", "(address,(string,int24)[])", "bool[3]"].map { try ABIType(parsing: $0) }
        var decoded = 0, refused = 0
        for round in 0..<3_000 {
            let length = Int.random(in: 0...320, using: &generator)
            var data = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            // Small words now and then, so offsets and lengths land inside the data.
            for index in stride(from: 0, to: data.count, by: 32) where Bool.random(using: &generator) && index + 32 <= data.count {
                for byte in index..<(index + 31) { data[byte] = 0 }
                data[index + 31] = UInt8.random(in: 0...160, using: &generator)
            }
            do {
                _ = try ABIDecoder.decode([types[round % types.count]], from: data)
                decoded += 1
            } catch is ABIDecodeError {
                refused += 1
            }
        }
        #expect(decoded + refused == 3_000)
        #expect(decoded > 0 && refused > 0)
    }

    @Test("a log: static indexed values from topics, dynamic ones as their topic hash, the rest from data")
    func eventLog() throws {
        let entry = try ABIEntry(kind: .event, name: "Named", inputs: [
            ABIParameter(name: "owner", type: .address, indexed: true),
            ABIParameter(name: "label", type: .string, indexed: true),
            ABIParameter(name: "amount", type: .int(bits: 64)),
        ])
        let owner = [UInt8](repeating: 0, count: 12) + [UInt8](repeating: 0x11, count: 20)
        let labelHash = Keccak256.hash("label")
        let data = Self.filled(0xFF)
        let values = try entry.decodeLog(topics: [entry.topic0, owner, labelHash], data: data)
        #expect(values.map(\.text) == ["0x" + String(repeating: "11", count: 20), ABIHex.text(labelHash), "-1"])
        // Same signature, other indexed layout: a topic too many or too few does not fit.
        #expect(throws: ABIDecodeError.self) { try entry.decodeLog(topics: [entry.topic0, owner], data: Self.word(32) + data) }
        #expect(throws: ABIDecodeError.self) { try entry.decodeLog(topics: [entry.topic0, owner, labelHash, labelHash], data: data) }
        #expect(throws: ABIDecodeError.self) { try entry.decodeLog(topics: [labelHash, owner, labelHash], data: data) }
        #expect(throws: ABIDecodeError.self) { try entry.decodeLog(topics: [entry.topic0, owner, [1, 2]], data: data) }
    }

    @Test("an anonymous event has no topic 0: every topic is an indexed input")
    func anonymousLog() throws {
        let entry = try ABIEntry(kind: .event, name: "Anon", inputs: [
            ABIParameter(name: "a", type: .uint(bits: 256), indexed: true),
            ABIParameter(name: "b", type: .bool),
        ], anonymous: true)
        #expect(try entry.decodeLog(topics: [Self.word(5)], data: Self.word(1)).map(\.text) == ["5", "true"])
        #expect(throws: ABIDecodeError.self) { try entry.decodeLog(topics: [entry.topic0, Self.word(5)], data: Self.word(1)) }
    }

    @Test("a call: the selector must match; arguments follow it")
    func call() throws {
        let entry = try ABIEntry(kind: .function, name: "transfer", inputs: [
            ABIParameter(name: "to", type: .address), ABIParameter(name: "amount", type: .uint(bits: 256)),
        ])
        #expect(ABIHex.text(entry.selector) == "0xa9059cbb")
        let input = entry.selector + Self.word(0xAB) + Self.word(1_000)
        #expect(try entry.decodeCall(input: input).map(\.text) == ["0x00000000000000000000000000000000000000ab", "1000"])
        #expect(throws: ABIDecodeError.self) { try entry.decodeCall(input: [0xA9, 0x05, 0x9C]) }
        #expect(throws: ABIDecodeError.self) { try entry.decodeCall(input: [0, 0, 0, 0] + Self.word(1) + Self.word(1)) }
        #expect(throws: ABIDecodeError.self) { try entry.decodeCall(input: entry.selector + Self.word(1)) }
    }
}
