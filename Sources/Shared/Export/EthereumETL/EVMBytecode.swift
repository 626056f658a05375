// The function selectors of a contract, found as ethereum-etl finds them (its EthContractService).

import Foundation

/// ethereum-etl disassembles the bytecode with ethereum-dasm and collects the operands of the
/// `PUSH4` instructions of the first basic block — everything before the first `JUMPDEST`, where
/// solc's function dispatcher lives. Only PUSH1…PUSH32 carry operands; a PUSH4 cut short by the
/// end of the code is an invalid instruction, not a selector. Result: sorted, unique, `0x`-prefixed.
public enum EVMBytecode {
    public static func functionSighashes(_ bytecode: String?) -> [String] {
        guard let text = bytecode, text != "0x" else { return [] }
        return plainHexSighashes(text) ?? generalSighashes(text)
    }

    /// `functionSighashes` of any text: white space trimmed, a second `0x` dropped.
    static func generalSighashes(_ bytecode: String) -> [String] {
        var text = bytecode
        if text.hasPrefix("0x") { text.removeFirst(2) }
        // ethereum-dasm strips whitespace and one more 0x; odd or non-hex text makes ethereum-etl
        // raise, and here it is code with no selectors.
        // Trimming bridges the whole code through NSString (a tenth of an export with contracts):
        // only do it when there is something to trim.
        let space = CharacterSet.whitespacesAndNewlines
        if let first = text.unicodeScalars.first, let last = text.unicodeScalars.last,
           space.contains(first) || space.contains(last) {
            text = text.trimmingCharacters(in: space)
        }
        if text.hasPrefix("0x") { text.removeFirst(2) }
        guard let code = bytes(text) else { return [] }
        var selectors = Set<String>()
        var pc = 0
        while pc < code.count {
            let opcode = code[pc]
            if opcode == 0x5B { break } // JUMPDEST starts the second basic block
            if (0x60...0x7F).contains(opcode) {
                let length = Int(opcode) - 0x5F
                if opcode == 0x63, pc + 4 < code.count {
                    selectors.insert("0x" + code[(pc + 1)...(pc + 4)].map { byte in
                        let digits = Array("0123456789abcdef")
                        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
                    }.joined())
                }
                pc += 1 + length
            } else {
                pc += 1
            }
        }
        return selectors.sorted()
    }

    /// `functionSighashes` of code that is even-length hex after an optional `0x` (what nodes
    /// send), read in place: nothing to trim, no copy of the code, selectors kept as numbers until
    /// the end (the general path made strings per nibble: ~3 % of an eight-entity export's CPU). Nil for any other text, which the general path then reads.
    static func plainHexSighashes(_ text: String) -> [String]? {
        var text = text
        return text.withUTF8 { utf8 -> [String]? in
            var start = 0
            if utf8.count >= 2, utf8[0] == UInt8(ascii: "0"), utf8[1] == UInt8(ascii: "x") { start = 2 }
            let digits = utf8.count - start
            guard digits % 2 == 0 else { return nil }
            for index in start..<utf8.count where nibble(utf8[index]) == nil { return nil }
            @inline(__always) func byte(_ pc: Int) -> UInt8 {
                nibble(utf8[start + 2 * pc])! << 4 | nibble(utf8[start + 2 * pc + 1])!
            }
            let count = digits / 2
            var selectors: [UInt32] = []
            var pc = 0
            while pc < count {
                let opcode = byte(pc)
                if opcode == 0x5B { break } // JUMPDEST starts the second basic block
                if (0x60...0x7F).contains(opcode) {
                    if opcode == 0x63, pc + 4 < count {
                        selectors.append(UInt32(byte(pc + 1)) << 24 | UInt32(byte(pc + 2)) << 16 | UInt32(byte(pc + 3)) << 8 | UInt32(byte(pc + 4)))
                    }
                    pc += 1 + Int(opcode) - 0x5F
                } else {
                    pc += 1
                }
            }
            // `0x` and eight lower-case hex digits sort as their numbers do.
            selectors.sort()
            var result: [String] = []
            result.reserveCapacity(selectors.count)
            for (index, selector) in selectors.enumerated() where index == 0 || selectors[index - 1] != selector {
                result.append(hexSelector(selector))
            }
            return result
        }
    }

    /// `0x` and the selector's eight lower-case hex digits.
    static func hexSelector(_ selector: UInt32) -> String {
        String(unsafeUninitializedCapacity: 10) { buffer in
            let digits: StaticString = "0123456789abcdef"
            buffer[0] = UInt8(ascii: "0")
            buffer[1] = UInt8(ascii: "x")
            for index in 0..<8 {
                buffer[2 + index] = digits.utf8Start[Int(selector >> (28 - 4 * UInt32(index)) & 0xF)]
            }
            return 10
        }
    }

    /// Hex text to bytes; nil when it is not even-length hex.
    static func bytes(_ text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }

    static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
