// Statements a model may not run: transaction control and role or session-authorization changes.

extension ModelStatement {
    /// Why a statement starting with `words` (upper-cased) is refused, or nil.
    ///
    /// A model job runs all its statements in one transaction with the range's record: a
    /// `COMMIT` or `ROLLBACK` would end it half way (the rest would run in autocommit and the
    /// record would no longer match the rows), and `SET ROLE` / `SET SESSION AUTHORIZATION`
    /// would run the rest of the range, and the pooled connection after it, as someone else.
    static func refusal(_ words: [String]) -> String? {
        guard let first = words.first else { return nil }
        let second = words.count > 1 ? words[1] : ""
        let third = words.count > 2 ? words[2] : ""
        let transaction = "transaction control (\(words.prefix(2).joined(separator: " "))) is not allowed in a model: "
            + "the job runs the whole range in one transaction"
        let role = "a role or session authorization change (\(words.prefix(3).joined(separator: " "))) is not allowed in a model: "
            + "models run as the model role"
        switch first {
        case "BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT", "SAVEPOINT", "RELEASE":
            return transaction
        case "PREPARE" where second == "TRANSACTION":
            return transaction
        case "SET":
            let scoped = second == "SESSION" || second == "LOCAL"
            let target = scoped ? third : second
            if target == "ROLE" || (second == "SESSION" && third == "AUTHORIZATION") { return role }
            if second == "TRANSACTION" || (second == "SESSION" && third == "CHARACTERISTICS") { return transaction }
            return nil
        case "RESET":
            if second == "ROLE" || second == "ALL" || (second == "SESSION" && third == "AUTHORIZATION") { return role }
            return nil
        default:
            return nil
        }
    }

    /// The first three words of a statement's text (upper-cased), past white space and comments,
    /// and the offset in `text` where the first starts. Stops at anything that is not a word.
    static func leadingWords(_ text: String.UnicodeScalarView) -> (words: [String], offset: Int) {
        let scalars = Array(text)
        var words: [String] = []
        var offset = 0
        var index = 0
        func isWord(_ scalar: Unicode.Scalar) -> Bool {
            scalar == "_" || (scalar.isASCII && scalar.properties.isAlphabetic)
        }
        while index < scalars.count, words.count < 3 {
            let scalar = scalars[index]
            let next: Unicode.Scalar? = index + 1 < scalars.count ? scalars[index + 1] : nil
            if scalar.properties.isWhitespace {
                index += 1
            } else if scalar == "-", next == "-" {
                while index < scalars.count, scalars[index] != "\n" { index += 1 }
            } else if scalar == "/", next == "*" {
                var depth = 0
                repeat {
                    if index + 1 >= scalars.count { return (words, offset) }
                    if scalars[index] == "/", scalars[index + 1] == "*" {
                        depth += 1
                        index += 2
                    } else if scalars[index] == "*", scalars[index + 1] == "/" {
                        depth -= 1
                        index += 2
                    } else {
                        index += 1
                    }
                } while depth > 0
            } else if isWord(scalar) {
                let start = index
                while index < scalars.count, isWord(scalars[index]) || ("0"..."9").contains(scalars[index]) { index += 1 }
                if words.isEmpty { offset = start }
                words.append(String(String.UnicodeScalarView(scalars[start..<index])).uppercased())
            } else {
                break
            }
        }
        return (words, offset)
    }
}
