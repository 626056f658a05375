// JSONParserTests: the request parser keeps literals, handles escapes, rejects bad input.

import Testing
@testable import DevChain

@Suite("JSON parser")
struct JSONParserTests {
    @Test("numbers keep their literal text and objects their key order")
    func literals() throws {
        let v = try JSONParser.parse(#" {"id": 1.50, "b": [true, null, -3e2], "a": "x"} "#)
        #expect(v["id"] == .number("1.50"))
        #expect(String(decoding: v.serialized(), as: UTF8.self) == #"{"id":1.50,"b":[true,null,-3e2],"a":"x"}"#)
    }

    @Test("string escapes, including surrogate pairs, decode and re-encode")
    func escapes() throws {
        let v = try JSONParser.parse(#""a\"b\\c\nd\u00e9\ud83d\ude00""#)
        #expect(v == .string("a\"b\\c\ndé😀"))
        #expect(String(decoding: v.serialized(), as: UTF8.self) == #""a\"b\\c\ndé😀""#)
    }

    @Test("invalid documents are rejected with DC001")
    func invalid() {
        for text in ["", "{", "[1,]", "{\"a\" 1}", "tru", "\"abc", "1 2", "-"] {
            #expect(throws: DevChainError.self) { try JSONParser.parse(text) }
        }
        do {
            _ = try JSONParser.parse("{")
        } catch {
            #expect(error.code == "DC001")
        }
    }

    @Test("nesting beyond the limit is refused instead of overflowing the stack")
    func depth() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: DevChainError.self) { try JSONParser.parse(deep) }
    }

    @Test("hex quantities and data parse strictly")
    func hex() {
        #expect(Hex.parseQuantity("0x0") == 0)
        #expect(Hex.parseQuantity("0xB872") == 0xB872)
        #expect(Hex.parseQuantity("b872") == nil)
        #expect(Hex.parseQuantity("0x") == nil)
        #expect(Hex.parseQuantity("0x1ffffffffffffffff") == nil)
        #expect(Hex.parseData("0xabc") == nil)
        #expect(Hex.parseData("0x00ff", length: 2) == [0, 255])
        #expect(Hex.quantityString(0) == "0x0")
        #expect(Hex.quantityString(255) == "0xff")
        var out: [UInt8] = []
        JSONBytes.appendBigQuantity([0, 0, 1, 0xab], to: &out)
        #expect(String(decoding: out, as: UTF8.self) == #""0x1ab""#)
    }
}
