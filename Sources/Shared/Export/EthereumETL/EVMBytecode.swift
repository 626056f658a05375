// The function selectors of a contract, found as ethereum-etl finds them (its EthContractService).

import Foundation

/// ethereum-etl disassembles the bytecode with ethereum-dasm and collects the operands of the
/// `PUSH4` instructions of the first basic block — everything before the first `JUMPDEST`, where
/// solc's function dispatcher lives. Only PUSH1…PUSH32 carry operands; a PUSH4 cut short by the
/// end of the code is an invalid instruction, not a selector. Result: sorted, unique, `0x`-prefixed.
public enum EVMBytecode {
    public static func functionSighashes(_ bytecode: String?) -> [String] {
        guard var text = bytecode, text != "0x" else { return [] }
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
