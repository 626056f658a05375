// Just enough XML for S3 and STS answers: elements and text, no attributes or DTDs.

import NIOCore

/// An element with its children and its own text (entities decoded). Namespace prefixes are
/// dropped from names (`s3:Key` is `Key`).
struct S3XMLElement: Sendable {
    var name: String
    var children: [S3XMLElement] = []
    var text: String = ""

    func child(_ name: String) -> S3XMLElement? { children.first { $0.name == name } }
    func children(named name: String) -> [S3XMLElement] { children.filter { $0.name == name } }
    /// The text of the first child with this name.
    func value(_ name: String) -> String? { child(name)?.text }
}

struct S3XMLError: Error, CustomStringConvertible {
    let message: String
    var description: String { "malformed XML: \(message)" }
}

/// A small, strict-enough XML reader. S3 answers are machine-written and small (a listing page
/// is at most 1,000 keys), so a hand parser beats depending on libxml2 through FoundationXML.
enum S3XMLParser {
    static func parse(_ buffer: ByteBuffer) throws -> S3XMLElement {
        try parse(Array(buffer.readableBytesView))
    }

    static func parse(_ text: String) throws -> S3XMLElement {
        try parse(Array(text.utf8))
    }

    static func parse(_ bytes: [UInt8]) throws -> S3XMLElement {
        var stack: [S3XMLElement] = []
        var root: S3XMLElement?
        var i = 0
        let n = bytes.count
        var textStart = 0

        func appendText(_ from: Int, _ to: Int) throws {
            guard from < to, !stack.isEmpty else { return }
            stack[stack.count - 1].text += try decodeEntities(bytes[from..<to])
        }

        while i < n {
            guard bytes[i] == UInt8(ascii: "<") else { i += 1; continue }
            try appendText(textStart, i)
            if hasPrefix(bytes, i, "<?") {
                i = try skip(bytes, from: i, past: "?>")
            } else if hasPrefix(bytes, i, "<!--") {
                i = try skip(bytes, from: i, past: "-->")
            } else if hasPrefix(bytes, i, "<![CDATA[") {
                let end = try find(bytes, from: i + 9, "]]>")
                if !stack.isEmpty { stack[stack.count - 1].text += String(decoding: bytes[(i + 9)..<end], as: UTF8.self) }
                i = end + 3
            } else if hasPrefix(bytes, i, "<!") {
                i = try skip(bytes, from: i, past: ">")
            } else if hasPrefix(bytes, i, "</") {
                let end = try find(bytes, from: i, ">")
                let name = localName(String(decoding: bytes[(i + 2)..<end], as: UTF8.self).trimmingSpaces())
                guard let element = stack.popLast(), element.name == name else {
                    throw S3XMLError(message: "unexpected </\(name)>")
                }
                if stack.isEmpty {
                    guard root == nil else { throw S3XMLError(message: "more than one root element") }
                    root = element
                } else {
                    stack[stack.count - 1].children.append(element)
                }
                i = end + 1
            } else {
                let end = try findTagEnd(bytes, from: i)
                let selfClosing = bytes[end - 1] == UInt8(ascii: "/")
                let inner = bytes[(i + 1)..<(selfClosing ? end - 1 : end)]
                let nameEnd = inner.firstIndex { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") } ?? inner.endIndex
                let name = localName(String(decoding: inner[inner.startIndex..<nameEnd], as: UTF8.self))
                guard !name.isEmpty else { throw S3XMLError(message: "empty tag name") }
                let element = S3XMLElement(name: name)
                if selfClosing {
                    if stack.isEmpty {
                        guard root == nil else { throw S3XMLError(message: "more than one root element") }
                        root = element
                    } else {
                        stack[stack.count - 1].children.append(element)
                    }
                } else {
                    stack.append(element)
                }
                i = end + 1
            }
            textStart = i
        }
        guard stack.isEmpty else { throw S3XMLError(message: "<\(stack.last!.name)> is not closed") }
        guard let root else { throw S3XMLError(message: "no element") }
        return root
    }

    /// Escapes text for an element body.
    static func escape(_ text: String) -> String { text.markupEscaped }

    private static func localName(_ name: String) -> String {
        if let colon = name.lastIndex(of: ":") { return String(name[name.index(after: colon)...]) }
        return name
    }

    private static func hasPrefix(_ bytes: [UInt8], _ at: Int, _ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard at + count <= bytes.count else { return false }
        return prefix.withUTF8Buffer { p in (0..<count).allSatisfy { bytes[at + $0] == p[$0] } }
    }

    private static func find(_ bytes: [UInt8], from: Int, _ needle: StaticString) throws -> Int {
        var i = from
        while i < bytes.count {
            if hasPrefix(bytes, i, needle) { return i }
            i += 1
        }
        throw S3XMLError(message: "unterminated markup")
    }

    private static func skip(_ bytes: [UInt8], from: Int, past needle: StaticString) throws -> Int {
        try find(bytes, from: from, needle) + needle.utf8CodeUnitCount
    }

    /// The `>` ending a start tag, skipping quoted attribute values.
    private static func findTagEnd(_ bytes: [UInt8], from: Int) throws -> Int {
        var i = from + 1
        var quote: UInt8?
        while i < bytes.count {
            let byte = bytes[i]
            if let q = quote {
                if byte == q { quote = nil }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: ">") {
                return i
            }
            i += 1
        }
        throw S3XMLError(message: "unterminated tag")
    }

    private static func decodeEntities(_ slice: ArraySlice<UInt8>) throws -> String {
        guard slice.contains(UInt8(ascii: "&")) else { return String(decoding: slice, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(slice.count)
        var i = slice.startIndex
        while i < slice.endIndex {
            let byte = slice[i]
            guard byte == UInt8(ascii: "&") else { out.append(byte); i += 1; continue }
            guard let semicolon = slice[i...].firstIndex(of: UInt8(ascii: ";")), semicolon - i <= 12 else {
                throw S3XMLError(message: "bad entity")
            }
            let entity = String(decoding: slice[(i + 1)..<semicolon], as: UTF8.self)
            switch entity {
            case "lt": out.append(UInt8(ascii: "<"))
            case "gt": out.append(UInt8(ascii: ">"))
            case "amp": out.append(UInt8(ascii: "&"))
            case "quot": out.append(UInt8(ascii: "\""))
            case "apos": out.append(UInt8(ascii: "'"))
            default:
                let value: UInt32?
                if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                    value = UInt32(entity.dropFirst(2), radix: 16)
                } else if entity.hasPrefix("#") {
                    value = UInt32(entity.dropFirst(), radix: 10)
                } else {
                    value = nil
                }
                guard let value, let scalar = Unicode.Scalar(value) else { throw S3XMLError(message: "unknown entity &\(entity);") }
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            }
            i = semicolon + 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        var view = Substring(self)
        while let first = view.first, first.isWhitespace { view.removeFirst() }
        while let last = view.last, last.isWhitespace { view.removeLast() }
        return String(view)
    }
}
