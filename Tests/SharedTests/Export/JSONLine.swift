// Splits one JSON-lines object into its keys and the exact text of each value, for byte-exact comparison.

/// The top-level key/value pairs of a one-line JSON object, values kept as their raw text, so a
/// test can compare `100` with `100` and tell it from `"100"` or `1e2`.
struct JSONLine: Equatable {
    var keys: [String]
    var values: [String: String]

    init(_ line: String) {
        keys = []
        values = [:]
        let scalars = Array(line.unicodeScalars)
        var index = 1 // after "{"
        func skipSpaces() { while index < scalars.count, scalars[index] == " " { index += 1 } }
        func scanValue() -> String {
            let start = index
            var depth = 0
            var inString = false
            while index < scalars.count {
                let scalar = scalars[index]
                if inString {
                    if scalar == "\\" { index += 1 } else if scalar == "\"" { inString = false }
                } else if scalar == "\"" {
                    inString = true
                } else if scalar == "[" || scalar == "{" {
                    depth += 1
                } else if scalar == "]" || scalar == "}" {
                    if depth == 0 { break }
                    depth -= 1
                } else if scalar == ",", depth == 0 {
                    break
                }
                index += 1
            }
            var text = ""
            text.unicodeScalars.append(contentsOf: scalars[start..<index])
            return text
        }
        // Keys are column names: plain ASCII without escapes.
        while index < scalars.count {
            skipSpaces()
            guard index < scalars.count, scalars[index] == "\"" else { break }
            index += 1
            var key = ""
            while index < scalars.count, scalars[index] != "\"" {
                key.unicodeScalars.append(scalars[index])
                index += 1
            }
            index += 1 // closing quote
            skipSpaces()
            index += 1 // ":"
            skipSpaces()
            let value = scanValue()
            keys.append(key)
            values[key] = value
            index += 1 // "," or "}"
        }
    }
}
