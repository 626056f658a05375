// Which relation a model's `CREATE … IF NOT EXISTS` statement makes, so a run can skip it.

import Foundation

extension ModelStatement {
    /// The name, as written (quoted or not, maybe schema-qualified), of the table or index a
    /// `CREATE TABLE IF NOT EXISTS name` or `CREATE [UNIQUE] INDEX IF NOT EXISTS name ON …`
    /// statement creates; nil for any other statement.
    ///
    /// Why the runner wants it: `CREATE INDEX IF NOT EXISTS` takes a SHARE lock on its table
    /// before it finds the index there, so every run of a model starting with one waits for every
    /// other transaction writing that table, and model jobs of different ranges would go one at
    /// a time. The runner skips these statements when every relation they name exists.
    public var createdRelation: String? {
        let scalars = Array(text.unicodeScalars)
        var index = ModelStatement.leadingWords(text.unicodeScalars).offset
        func skipSpace() {
            while index < scalars.count {
                if scalars[index].properties.isWhitespace {
                    index += 1
                } else if scalars[index] == "-", index + 1 < scalars.count, scalars[index + 1] == "-" {
                    while index < scalars.count, scalars[index] != "\n" { index += 1 }
                } else {
                    return
                }
            }
        }
        func word() -> String? {
            skipSpace()
            let start = index
            while index < scalars.count, scalars[index] == "_" || (scalars[index].isASCII && scalars[index].properties.isAlphabetic) { index += 1 }
            return index > start ? String(String.UnicodeScalarView(scalars[start..<index])).uppercased() : nil
        }
        /// An identifier, quoted (`"a""b"`) or plain, optionally qualified (`s.t`), as written.
        func name() -> String? {
            skipSpace()
            let start = index
            while true {
                if index < scalars.count, scalars[index] == "\"" {
                    index += 1
                    while index < scalars.count {
                        if scalars[index] == "\"" {
                            if index + 1 < scalars.count, scalars[index + 1] == "\"" { index += 2; continue }
                            break
                        }
                        index += 1
                    }
                    guard index < scalars.count else { return nil }
                    index += 1
                } else {
                    let part = index
                    while index < scalars.count, scalars[index] == "_" || scalars[index] == "$" || (scalars[index].isASCII && (scalars[index].properties.isAlphabetic || ("0"..."9").contains(scalars[index]))) {
                        index += 1
                    }
                    guard index > part else { return nil }
                }
                guard index < scalars.count, scalars[index] == "." else { break }
                index += 1
            }
            return String(String.UnicodeScalarView(scalars[start..<index]))
        }
        guard word() == "CREATE" else { return nil }
        var kind = word()
        if kind == "UNIQUE" { kind = word() }
        guard kind == "TABLE" || kind == "INDEX", word() == "IF", word() == "NOT", word() == "EXISTS", let relation = name() else { return nil }
        if kind == "INDEX" {
            // An index's name is never qualified (it goes in its table's schema); ON must follow.
            guard !relation.contains("."), word() == "ON" else { return nil }
        }
        return relation
    }
}
