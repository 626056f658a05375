// One SQL statement of a model, with the block range bound as parameters.

import PostgresNIO

/// A statement whose `:first_block` / `:last_block` placeholders were turned into `$n`
/// parameters: the range is always bound, never pasted into the text.
public struct ModelStatement: Sendable, Equatable {
    /// The range bound to each parameter: the text's `$1` is `parameters[0]`, and so on.
    public enum Parameter: String, Sendable, Equatable {
        case firstBlock = "first_block"
        case lastBlock = "last_block"
    }

    public let text: String
    public let parameters: [Parameter]

    public init(text: String, parameters: [Parameter]) {
        self.text = text
        self.parameters = parameters
    }

    /// The statement as a query with the range bound.
    public func query(first: Int64, last: Int64) -> PostgresQuery {
        var bindings = PostgresBindings()
        for parameter in parameters {
            bindings.append(parameter == .firstBlock ? first : last)
        }
        return PostgresQuery(unsafeSQL: text, binds: bindings)
    }

    /// Splits a SQL script into statements at top-level semicolons and binds the placeholders.
    /// Quotes (`'…'` with `''`, `E'…'` with backslash escapes), quoted identifiers, dollar-quoted
    /// bodies and comments (`/* */` nest, as in PostgreSQL) are skipped, so a `;` or a
    /// `:first_block` inside them is left alone. Unknown `:name` placeholders are an error, so a
    /// typo never reaches the warehouse as text. Transaction control and role changes are refused
    /// (`ModelStatement.refusal`): a model runs inside the range's transaction, as the model role.
    public static func parseScript(_ script: String, source: String) throws(ModelError) -> [ModelStatement] {
        let characters = Array(script.unicodeScalars)
        var statements: [ModelStatement] = []
        var text = String.UnicodeScalarView()
        var parameters: [Parameter] = []
        var hasCode = false
        var index = 0
        var statementStart = 0

        /// `source:line` of the scalar at `position`, for errors.
        func place(_ position: Int) -> String {
            "\(source):\(characters[..<min(position, characters.count)].reduce(1) { $1 == "\n" ? $0 + 1 : $0 })"
        }
        func finish() throws(ModelError) {
            let trimmed = String(text).trimmingCharacters(in: .whitespacesAndNewlines)
            if hasCode, !trimmed.isEmpty {
                let (words, offset) = leadingWords(text)
                if let refused = refusal(words) {
                    // Only white space and comments, copied as they are, precede the first word.
                    throw ModelError(.invalidModel, "\(place(statementStart + offset)): \(refused)")
                }
                statements.append(ModelStatement(text: trimmed, parameters: parameters))
            }
            text = String.UnicodeScalarView()
            parameters = []
            hasCode = false
            statementStart = index
        }
        func copy(until end: Int) {
            text.append(contentsOf: characters[index..<min(end, characters.count)])
            index = min(end, characters.count)
        }
        func find(_ needle: [Unicode.Scalar], from start: Int) -> Int? {
            guard needle.count <= characters.count else { return nil }
            var position = start
            while position + needle.count <= characters.count {
                if Array(characters[position..<position + needle.count]) == needle { return position }
                position += 1
            }
            return nil
        }
        func isIdentifier(_ scalar: Unicode.Scalar) -> Bool {
            scalar == "_" || (scalar.properties.isAlphabetic && scalar.isASCII) || ("0"..."9").contains(scalar)
        }

        while index < characters.count {
            let scalar = characters[index]
            let next: Unicode.Scalar? = index + 1 < characters.count ? characters[index + 1] : nil
            let escapeString = (scalar == "E" || scalar == "e") && next == "'" && (index == 0 || !isIdentifier(characters[index - 1]))
            switch scalar {
            case "-" where next == "-":
                let end = find(["\n"], from: index) ?? characters.count
                copy(until: end)
            case "/" where next == "*":
                // PostgreSQL's block comments nest: `/* a /* b */ c */` is one comment.
                var depth = 0
                var position = index
                repeat {
                    guard position + 1 < characters.count else {
                        throw ModelError(.invalidModel, "\(place(index)): a /* comment is not closed")
                    }
                    if characters[position] == "/", characters[position + 1] == "*" {
                        depth += 1
                        position += 2
                    } else if characters[position] == "*", characters[position + 1] == "/" {
                        depth -= 1
                        position += 2
                    } else {
                        position += 1
                    }
                } while depth > 0
                copy(until: position)
            case _ where escapeString:
                // An escape string: `\'` and `\\` are escapes inside it, as is `''`.
                hasCode = true
                var position = index + 2
                while true {
                    guard position < characters.count else {
                        throw ModelError(.invalidModel, "\(place(index)): an E' quote is not closed")
                    }
                    if characters[position] == "\\" { position += 2; continue }
                    if characters[position] == "'" {
                        if position + 1 < characters.count, characters[position + 1] == "'" { position += 2; continue }
                        break
                    }
                    position += 1
                }
                copy(until: position + 1)
            case "'", "\"":
                hasCode = true
                var position = index + 1
                while true {
                    guard position < characters.count else {
                        throw ModelError(.invalidModel, "\(place(index)): a \(scalar) quote is not closed")
                    }
                    if characters[position] == scalar {
                        if position + 1 < characters.count, characters[position + 1] == scalar { position += 2; continue }
                        break
                    }
                    // PostgreSQL ends 'a\' at that quote, Redshift reads \' as an escaped quote:
                    // the same file would split differently, so say which to use.
                    if scalar == "'", characters[position] == "\\", position + 1 < characters.count, characters[position + 1] == "'" {
                        throw ModelError(.invalidModel, "\(place(position)): a backslash before a quote in a plain '…' string "
                                         + "reads differently in PostgreSQL and Redshift; write '' for a quote, or E'…' for escapes")
                    }
                    position += 1
                }
                copy(until: position + 1)
            case "$" where next.map { $0 == "$" || ($0.isASCII && $0.properties.isAlphabetic) } ?? false:
                // A dollar-quoted body `$tag$ … $tag$`; `$1` style parameters are refused below.
                var tagEnd = index + 1
                while tagEnd < characters.count, characters[tagEnd] != "$", isIdentifier(characters[tagEnd]) { tagEnd += 1 }
                guard tagEnd < characters.count, characters[tagEnd] == "$" else {
                    hasCode = true
                    copy(until: index + 1)
                    continue
                }
                let tag = Array(characters[index...tagEnd])
                guard let close = find(tag, from: tagEnd + 1) else {
                    throw ModelError(.invalidModel, "\(place(index)): a \(String(String.UnicodeScalarView(tag))) quoted body is not closed")
                }
                hasCode = true
                copy(until: close + tag.count)
            case "$" where next.map { ("0"..."9").contains($0) } ?? false:
                throw ModelError(.invalidModel, "\(place(index)): use :first_block and :last_block, not positional $n parameters")
            case ":" where next == ":":
                hasCode = true
                copy(until: index + 2)
            case ":" where next.map(isIdentifier) ?? false:
                var end = index + 1
                while end < characters.count, isIdentifier(characters[end]) { end += 1 }
                let name = String(String.UnicodeScalarView(characters[index + 1..<end]))
                guard let parameter = Parameter(rawValue: name) else {
                    throw ModelError(.invalidModel, "\(place(index)): unknown placeholder :\(name); a model may use :first_block and :last_block")
                }
                hasCode = true
                if let existing = parameters.firstIndex(of: parameter) {
                    text.append(contentsOf: "$\(existing + 1)".unicodeScalars)
                } else {
                    parameters.append(parameter)
                    text.append(contentsOf: "$\(parameters.count)".unicodeScalars)
                }
                index = end
            case ";":
                index += 1
                try finish()
            default:
                if !scalar.properties.isWhitespace { hasCode = true }
                text.append(scalar)
                index += 1
            }
        }
        try finish()
        return statements
    }
}
