// Tokens of the BigQuery SQL a contract_address may hold.

/// One token: words (identifiers and keywords), quoted strings, numbers, and punctuation.
enum ContractSQLToken: Equatable {
    /// An identifier or keyword as written (keywords compare case-insensitively).
    case word(String)
    /// A backquoted identifier.
    case quotedIdentifier(String)
    /// A string in single or double quotes, escapes resolved.
    case string(String)
    /// An integer literal (optionally signed by a preceding `-` token).
    case number(String)
    /// `(`, `)`, `,`, `[`, `]`, `*`, `.`, `;`, `=`, `!=`, `<>`, `<`, `<=`, `>`, `>=`, `-`.
    case symbol(String)

    /// The keyword this word is, upper-cased; nil for other tokens.
    var keyword: String? {
        if case .word(let text) = self { return text.uppercased() }
        return nil
    }

    var display: String {
        switch self {
        case .word(let text): text
        case .quotedIdentifier(let text): "`\(text)`"
        case .string(let text): "'\(text)'"
        case .number(let text): text
        case .symbol(let text): text
        }
    }

    /// Splits `sql` into tokens, dropping white space and `--`, `#` and `/* */` comments.
    static func tokenize(_ sql: String) throws -> [ContractSQLToken] {
        let chars = Array(sql.unicodeScalars)
        var tokens: [ContractSQLToken] = []
        var index = 0
        func fail(_ reason: String) -> ContractFilterError { ContractFilterError(.unsupported, reason) }
        while index < chars.count {
            let char = chars[index]
            if char.properties.isWhitespace { index += 1; continue }
            if char == "-", index + 1 < chars.count, chars[index + 1] == "-" {
                while index < chars.count, chars[index] != "\n" { index += 1 }
                continue
            }
            if char == "#" {
                while index < chars.count, chars[index] != "\n" { index += 1 }
                continue
            }
            if char == "/", index + 1 < chars.count, chars[index + 1] == "*" {
                index += 2
                while index + 1 < chars.count, !(chars[index] == "*" && chars[index + 1] == "/") { index += 1 }
                guard index + 1 < chars.count else { throw fail("unclosed /* comment") }
                index += 2
                continue
            }
            if char == "'" || char == "\"" || char == "`" {
                var text = String.UnicodeScalarView()
                index += 1
                var closed = false
                while index < chars.count {
                    let c = chars[index]
                    if c == "\\", index + 1 < chars.count { text.append(chars[index + 1]); index += 2; continue }
                    if c == char { closed = true; index += 1; break }
                    text.append(c)
                    index += 1
                }
                guard closed else { throw fail("unclosed quote \(char)") }
                tokens.append(char == "`" ? .quotedIdentifier(String(text)) : .string(String(text)))
                continue
            }
            if char.properties.isAlphabetic || char == "_" {
                var text = String.UnicodeScalarView()
                while index < chars.count, chars[index].properties.isAlphabetic || chars[index] == "_" || ("0"..."9").contains(chars[index]) {
                    text.append(chars[index])
                    index += 1
                }
                tokens.append(.word(String(text)))
                continue
            }
            if ("0"..."9").contains(char) {
                var text = String.UnicodeScalarView()
                while index < chars.count, ("0"..."9").contains(chars[index]) { text.append(chars[index]); index += 1 }
                tokens.append(.number(String(text)))
                continue
            }
            let two = index + 1 < chars.count ? String(String.UnicodeScalarView([char, chars[index + 1]])) : ""
            if ["!=", "<>", "<=", ">="].contains(two) {
                tokens.append(.symbol(two == "<>" ? "!=" : two))
                index += 2
                continue
            }
            if "(),[]*.;=<>-".unicodeScalars.contains(char) {
                tokens.append(.symbol(String(char)))
                index += 1
                continue
            }
            throw fail("unexpected character '\(char)'")
        }
        return tokens
    }
}
