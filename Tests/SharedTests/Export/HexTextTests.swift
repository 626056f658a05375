// Hex quantity to decimal text, as Python's int(x, 16) gives it.

import Testing
@testable import Shared

@Suite("hex to decimal")
struct HexTextTests {
    @Test("zero, small values and leading zeros become plain decimal")
    func small() {
        #expect(HexText.decimal("0x0") == "0")
        #expect(HexText.decimal("0x00") == "0")
        #expect(HexText.decimal("0x1b4") == "436")
        #expect(HexText.decimal("0x000000ff") == "255")
        #expect(HexText.decimal("0xFF") == "255")
        #expect(HexText.decimal("ff") == "255")
        #expect(HexText.uint64("0x76250") == 483920)
    }

    @Test("64-bit boundary: 2^64-1 fits UInt64, 2^64 needs the wide path")
    func boundary() {
        #expect(HexText.decimal("0xffffffffffffffff") == "18446744073709551615")
        #expect(HexText.decimal("0x10000000000000000") == "18446744073709551616")
        #expect(HexText.uint64("0xffffffffffffffff") == UInt64.max)
        #expect(HexText.uint64("0x10000000000000000") == nil)
        // A 64-digit data word with leading zeros takes the fast path after the zeros.
        #expect(HexText.decimal("0x00000000000000000000000000000000000000000000000000000000000186a0") == "100000")
    }

    @Test("2^256-1, the largest uint256")
    func uint256Max() {
        #expect(HexText.decimal("0x" + String(repeating: "f", count: 64))
            == "115792089237316195423570985008687907853269984665640564039457584007913129639935")
    }

    @Test("wide values agree with UInt128's own decimal text")
    @available(macOS 15.0, *)
    func agreesWithUInt128() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let value = UInt128(generator.next() as UInt64) << 64 | UInt128(generator.next() as UInt64) >> UInt128(Int.random(in: 0...63))
            #expect(HexText.decimal("0x" + String(value, radix: 16)) == String(value))
        }
    }

    @Test("malformed hex is rejected", arguments: ["", "0x", "0X", "0xg1", "0x 1", "-0x1", "0x1_0", "12z", "0x1.5"])
    func malformed(text: String) {
        #expect(HexText.decimal(text) == nil)
        #expect(HexText.uint64(text) == nil)
    }

    @Test("decimal text of 64-bit values matches String(value) at every digit count")
    func decimalTextDigits() {
        var values: [UInt64] = [0, 1, 9, 10, 99, 100, UInt64.max, UInt64.max - 1, 1 << 63]
        var power: UInt64 = 1
        for _ in 0..<19 {
            power *= 10
            values += [power - 1, power, power + 1]
        }
        for value in values {
            #expect(HexText.decimalText(value) == String(value))
            #expect(HexText.decimal("0x" + String(value, radix: 16)) == String(value))
        }
    }
}
