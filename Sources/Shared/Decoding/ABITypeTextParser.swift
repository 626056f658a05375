// Recursive descent over a Solidity type's text.

/// Recursive descent over the type text; every failure names the whole text and the reason.
struct ABITypeTextParser {
    let text: String
    let chars: [Character]
    let components: [ABIComponent]?
    var position = 0

    init(text: String, components: [ABIComponent]?) {
        self.text = text
        self.chars = Array(text)
        self.components = components
    }

    func fail(_ reason: String) -> ABITypeError {
        ABITypeError(.invalidType, subject: text, reason: reason)
    }

    mutating func parseWhole() throws -> ABIType {
        guard !chars.isEmpty else { throw fail("empty type") }
        let type = try parseType(depth: 0, outermost: true)
        guard position == chars.count else { throw fail("unexpected '\(chars[position])' at character \(position + 1)") }
        guard staticSize(type) != nil else { throw fail("static encoding larger than \(ABIType.maxStaticSize) bytes") }
        return type
    }

    mutating func parseType(depth: Int, outermost: Bool) throws -> ABIType {
        guard depth <= ABIType.maxDepth else { throw fail("nested deeper than \(ABIType.maxDepth)") }
        var type: ABIType
        if position < chars.count, chars[position] == "(" {
            position += 1
            var members: [ABIComponent] = []
            if position < chars.count, chars[position] == ")" {
                throw fail("empty tuple")
            }
            while true {
                members.append(ABIComponent(name: "", type: try parseType(depth: depth + 1, outermost: false)))
                guard position < chars.count else { throw fail("unclosed '('") }
                if chars[position] == "," { position += 1; continue }
                if chars[position] == ")" { position += 1; break }
                throw fail("unexpected '\(chars[position])' at character \(position + 1)")
            }
            type = .tuple(members)
        } else {
            let start = position
            while position < chars.count, chars[position].isLetter || chars[position].isNumber { position += 1 }
            let base = String(chars[start..<position])
            guard !base.isEmpty else {
                throw fail(position < chars.count ? "unexpected '\(chars[position])' at character \(position + 1)" : "missing base type")
            }
            type = try elementary(base, outermost: outermost)
        }
        var arrayDepth = 0
        while position < chars.count, chars[position] == "[" {
            position += 1
            let start = position
            while position < chars.count, chars[position].isASCII, chars[position].isNumber { position += 1 }
            let digits = String(chars[start..<position])
            guard position < chars.count, chars[position] == "]" else { throw fail("malformed array suffix") }
            position += 1
            arrayDepth += 1
            guard depth + arrayDepth <= ABIType.maxDepth else { throw fail("nested deeper than \(ABIType.maxDepth)") }
            if digits.isEmpty {
                type = .array(type, length: nil)
            } else {
                guard let length = Int(digits), length >= 1, length <= ABIType.maxFixedLength else {
                    throw fail("fixed array length \(digits) is outside 1…\(ABIType.maxFixedLength)")
                }
                type = .array(type, length: length)
            }
        }
        return type
    }

    func elementary(_ base: String, outermost: Bool) throws -> ABIType {
        switch base {
        case "address": return .address
        case "bool": return .bool
        case "string": return .string
        case "bytes": return .bytes
        case "uint": return .uint(bits: 256)
        case "int": return .int(bits: 256)
        case "tuple":
            guard outermost, let components, !components.isEmpty else {
                throw fail(outermost ? "tuple without components" : "'tuple' inside a type text; use components")
            }
            return .tuple(components)
        default: break
        }
        if base.hasPrefix("uint") { return .uint(bits: try integerBits(base.dropFirst(4))) }
        if base.hasPrefix("int") { return .int(bits: try integerBits(base.dropFirst(3))) }
        if base.hasPrefix("bytes"), let size = Int(base.dropFirst(5)) {
            guard (1...32).contains(size), String(size) == base.dropFirst(5) else { throw fail("bytes size must be 1…32") }
            return .fixedBytes(size)
        }
        if base.hasPrefix("fixed") || base.hasPrefix("ufixed") { throw fail("fixed-point types are not supported") }
        throw fail("unknown type '\(base)'")
    }

    func integerBits(_ digits: Substring) throws -> Int {
        guard let bits = Int(digits), String(bits) == digits, bits >= 8, bits <= 256, bits % 8 == 0 else {
            throw fail("integer size must be a multiple of 8 in 8…256")
        }
        return bits
    }

    /// The static encoding size with overflow and the size cap checked (dynamic parts count 32).
    func staticSize(_ type: ABIType) -> Int? {
        switch type {
        case .bytes, .string: return 32
        case .array(_, nil): return 32
        case .array(let element, let length?):
            guard let size = staticSize(element) else { return nil }
            let (total, overflow) = size.multipliedReportingOverflow(by: length)
            return overflow || total > ABIType.maxStaticSize ? nil : total
        case .tuple(let members):
            var total = 0
            for member in members {
                guard let size = staticSize(member.type) else { return nil }
                total += size
                if total > ABIType.maxStaticSize { return nil }
            }
            return total
        default: return 32
        }
    }
}
