// Text and JSON of decoded values: ethers' forms, tuples as objects, escaping.

import Testing
@testable import Shared

@Suite("ABI value text")
struct ABIValueTextTests {
    @Test("scalars: lower-case hex, decimal with sign, true/false, text as is")
    func scalars() {
        #expect(ABIValue.address([0xAB] + [UInt8](repeating: 0, count: 19)).text == "0xab" + String(repeating: "00", count: 19))
        #expect(ABIValue.int(magnitude: ABIWord(42), negative: true).text == "-42")
        #expect(ABIValue.bool(false).text == "false")
        #expect(ABIValue.bytes([]).text == "0x")
        #expect(ABIValue.fixedBytes([0xDE, 0xAD]).text == "0xdead")
        #expect(ABIValue.string("ünï\"").text == "ünï\"")
    }

    @Test("arrays are JSON arrays, tuples JSON objects keyed by component name (index when unnamed)")
    func composites() {
        let value = ABIValue.array([
            .tuple([ABINamedValue(name: "to", value: .address([UInt8](repeating: 1, count: 20))), ABINamedValue(name: "", value: .uint(ABIWord(7)))]),
            .tuple([ABINamedValue(name: "to", value: .address([UInt8](repeating: 2, count: 20))), ABINamedValue(name: "", value: .bool(true))]),
        ])
        let one = "0x" + String(repeating: "01", count: 20), two = "0x" + String(repeating: "02", count: 20)
        #expect(value.text == #"[{"to":"\#(one)","1":"7"},{"to":"\#(two)","1":true}]"#)
        #expect(ABIValue.array([]).text == "[]")
    }

    @Test("JSON strings escape quotes, backslashes and control characters")
    func escaping() {
        #expect(ABIValue.array([.string("a\"b\\c\nd\u{1}e\t")]).jsonText == #"["a\"b\\c\nd\u0001e\t"]"#)
    }

    @Test("hex text round-trips and rejects what is not hex")
    func hex() {
        #expect(ABIHex.bytes("0xDEadBEef") == [0xDE, 0xAD, 0xBE, 0xEF])
        #expect(ABIHex.bytes("abc") == nil)
        #expect(ABIHex.bytes("0xzz") == nil)
        #expect(ABIHex.bytes("0x") == [])
        #expect(ABIHex.text([0, 255]) == "0x00ff")
    }

    @Test("256-bit words: decimal text across limbs, masks, two's complement")
    func words() {
        #expect(ABIWord(limbs: (0, 1, 0, 0)).decimalText == "340282366920938463463374607431768211456")
        #expect(ABIWord(limbs: (0, 0, 0, 0)).decimalText == "0")
        #expect(ABIWord(limbs: (.max, .max, .max, .max)).masked(to: 72) == ABIWord(limbs: (0, 0, 0xFF, .max)))
        let (magnitude, negative) = ABIWord(0x80).signed(bits: 8)
        #expect(negative && magnitude == ABIWord(128))
        #expect(ABIWord(limbs: (1, 2, 3, 4)).bytes.count == 32)
        #expect(ABIWord(ABIWord(limbs: (1, 2, 3, 4)).bytes, at: 0) == ABIWord(limbs: (1, 2, 3, 4)))
        // 64-bit values (the fast path) agree with Swift's own text at every length and edge.
        var generator = SystemRandomNumberGenerator()
        for value in [0, 9, 10, 99, 100, UInt64.max, UInt64.max - 1, 1 << 63] + (0..<200).map({ _ in UInt64.random(in: 0...UInt64.max, using: &generator) >> UInt64.random(in: 0..<64, using: &generator) }) {
            #expect(ABIWord(value).decimalText == String(value))
        }
        // Masks and negation limb by limb: every width against shifting the all-ones word.
        for bits in [1, 7, 8, 63, 64, 65, 127, 128, 129, 191, 192, 193, 255, 256] {
            let masked = ABIWord(limbs: (.max, .max, .max, .max)).masked(to: bits)
            let ones = (0..<256).filter { masked.bit($0) }.count
            #expect(ones == bits && masked.bit(bits - 1))
            #expect(masked.negated.negated == masked)
        }
        #expect(ABIWord(1).negated == ABIWord(limbs: (.max, .max, .max, .max)))
        #expect(ABIWord(limbs: (0, 0, 1, 0)).negated == ABIWord(limbs: (.max, .max, .max, 0)))
        let (five, minus) = ABIWord(limbs: (.max, .max, .max, .max - 4)).signed(bits: 256)
        #expect(minus && five == ABIWord(5))
    }
}
