// Any JSON value as a tree, parsed without recursion, for answers nested too deep for JSONDecoder.

/// A parsed JSON document. It exists for the answers `JSONDecoder` refuses by depth alone (it
/// stops at 512 levels; a callTracer answer of a call 1024 deep has over 2000): the parser keeps
/// its open arrays and objects on an explicit stack, so no depth can overflow the thread's stack.
/// Objects keep their members in order and lookups take the first of a duplicated key, as
/// `JSONDecoder` does.
indirect enum JSONValue: Sendable {
    case null
    case bool(Bool)
    /// The number's text as written (validated as RFC 8259).
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([(key: String, value: JSONValue)])

    /// The first member named `key`, or nil when there is none (`.null` when it is null).
    subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// What the value is, for error messages ("found number instead").
    var kind: String {
        switch self {
        case .null: "null"
        case .bool: "bool"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// A value still being read: an array with its elements so far, or an object with its
    /// members so far and the key whose value comes next.
    private enum Open {
        case array([JSONValue])
        case object([(key: String, value: JSONValue)], key: String)
    }

    /// Parses `bytes` (one JSON value, white space around it). `maximumDepth` bounds the nesting
    /// so that the tree, which Swift frees recursively, stays far inside a thread's stack.
    static func parse(_ bytes: UnsafeRawBufferPointer, maximumDepth: Int) throws(JSONTreeError) -> JSONValue {
        var reader: FastJSONReader
        do throws(FastJSONReader.Unsupported) {
            reader = try FastJSONReader(bytes)
        } catch {
            throw JSONTreeError(.invalid, "invalid JSON: the answer is empty")
        }
        var stack: [Open] = []
        var tooDeep = false
        do throws(FastJSONReader.Unsupported) {
            while true {
                var value: JSONValue
                switch try reader.peek() {
                case UInt8(ascii: "{"):
                    guard try reader.enterObject() else {
                        value = .object([])
                        break
                    }
                    guard stack.count < maximumDepth else {
                        tooDeep = true
                        throw FastJSONReader.Unsupported()
                    }
                    stack.append(.object([], key: try reader.keyText()))
                    continue
                case UInt8(ascii: "["):
                    guard try reader.enterArray() else {
                        value = .array([])
                        break
                    }
                    guard stack.count < maximumDepth else {
                        tooDeep = true
                        throw FastJSONReader.Unsupported()
                    }
                    stack.append(.array([]))
                    continue
                case UInt8(ascii: "\""):
                    value = .string(try reader.string())
                case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                    value = try reader.literalValue().map(JSONValue.bool) ?? .null
                default:
                    value = .number(try reader.numberText())
                }
                // Hand the finished value to the open parents, closing those that end with it.
                while true {
                    guard let open = stack.popLast() else {
                        try reader.finish()
                        return value
                    }
                    switch open {
                    case .array(var elements):
                        elements.append(value)
                        if try reader.nextElement() {
                            stack.append(.array(elements))
                        } else {
                            value = .array(elements)
                            continue
                        }
                    case .object(var members, let key):
                        members.append((key, value))
                        if try reader.nextMember() {
                            stack.append(.object(members, key: try reader.keyText()))
                        } else {
                            value = .object(members)
                            continue
                        }
                    }
                    break
                }
            }
        } catch {
            if tooDeep { throw JSONTreeError(.tooDeep, "JSON nests deeper than \(maximumDepth) levels") }
            throw JSONTreeError(.invalid, "invalid JSON near byte \(reader.offset)")
        }
    }

    /// The deepest nesting of arrays and objects in `bytes`, counted in one pass without
    /// parsing (brackets inside strings do not count). Malformed input gives some number; the
    /// decoder that reads it then reports what is wrong.
    static func nestingDepth(of bytes: UnsafeRawBufferPointer) -> Int {
        var depth = 0
        var deepest = 0
        var inString = false
        var escaped = false
        for byte in bytes {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                deepest = max(deepest, depth)
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
        return deepest
    }
}
