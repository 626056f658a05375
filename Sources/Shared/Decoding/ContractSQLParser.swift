// Recursive descent over the BigQuery SQL of a contract_address (and of literal views).

/// Recursive descent over the tokens of a contract_address query.
struct ContractSQLParser {
    let tokens: [ContractSQLToken]
    var position = 0

    init(tokens: [ContractSQLToken]) {
        self.tokens = tokens
    }

    /// Words that end a clause, so they are never taken for an implicit alias.
    static let reserved: Set<String> = [
        "SELECT", "FROM", "WHERE", "GROUP", "BY", "UNION", "EXCEPT", "INTERSECT", "ALL", "DISTINCT", "AS",
        "AND", "OR", "NOT", "IN", "IS", "NULL", "ORDER", "LIMIT", "HAVING", "JOIN", "LEFT", "RIGHT", "INNER",
        "OUTER", "CROSS", "ON", "USING", "WITH", "QUALIFY", "WINDOW", "UNNEST", "TRUE", "FALSE", "LIKE",
    ]

    var current: ContractSQLToken? { position < tokens.count ? tokens[position] : nil }

    func fail(_ reason: String) -> ContractFilterError {
        ContractFilterError(.unsupported, reason)
    }

    func unexpected(_ expected: String) -> ContractFilterError {
        if let current {
            return fail("expected \(expected) but found '\(current.display)' (token \(position + 1))")
        }
        return fail("expected \(expected) but the SQL ended")
    }

    func isKeyword(_ word: String, ahead: Int = 0) -> Bool {
        position + ahead < tokens.count && tokens[position + ahead].keyword == word
    }

    mutating func accept(_ word: String) -> Bool {
        guard isKeyword(word) else { return false }
        position += 1
        return true
    }

    mutating func expect(_ word: String) throws {
        guard accept(word) else { throw unexpected(word) }
    }

    mutating func acceptSymbol(_ symbol: String) -> Bool {
        guard current == .symbol(symbol) else { return false }
        position += 1
        return true
    }

    mutating func expectSymbol(_ symbol: String) throws {
        guard acceptSymbol(symbol) else { throw unexpected("'\(symbol)'") }
    }

    mutating func parseFilter() throws -> ContractFilter {
        let query = try setExpression()
        try end()
        if case .literals(let list) = query { return .addresses(list) }
        // Literals combined with literals only: the set is known now.
        if query.tables.isEmpty { return .addresses(query.addresses { _ in [] }.sorted()) }
        return .query(query)
    }

    mutating func end() throws {
        _ = acceptSymbol(";")
        guard current == nil else { throw unexpected("the end of the query") }
    }

    /// `SELECT * FROM UNNEST(['0x…', …]) [AS x]` (or `SELECT x FROM UNNEST(…) x`); nil, with
    /// nothing consumed, when the select is not of that form.
    mutating func unnestList() throws -> [String]? {
        let start = position
        guard accept("SELECT") else { return nil }
        if !acceptSymbol("*") { _ = identifier() }
        guard accept("FROM"), accept("UNNEST") else { position = start; return nil }
        try expectSymbol("(")
        try expectSymbol("[")
        var list: [String] = []
        if !acceptSymbol("]") {
            repeat {
                guard case .string(let text)? = current else { throw unexpected("an address string in UNNEST") }
                position += 1
                list.append(try ContractFilter.address(text))
            } while acceptSymbol(",")
            try expectSymbol("]")
        }
        try expectSymbol(")")
        try alias()
        guard !list.isEmpty else { throw fail("UNNEST of an empty list selects no contract") }
        return list
    }

    /// `term ((UNION [ALL|DISTINCT] | EXCEPT DISTINCT | INTERSECT DISTINCT) term)*`, left to right.
    mutating func setExpression() throws -> ContractQuery {
        var left = try setTerm()
        while true {
            let op: ContractSetOperator
            if accept("UNION") {
                if accept("ALL") { op = .unionAll } else { try expect("DISTINCT"); op = .unionDistinct }
            } else if accept("EXCEPT") {
                try expect("DISTINCT")
                op = .exceptDistinct
            } else if accept("INTERSECT") {
                try expect("DISTINCT")
                op = .intersectDistinct
            } else {
                return left
            }
            left = .combine(left, op, try setTerm())
        }
    }

    mutating func setTerm() throws -> ContractQuery {
        if acceptSymbol("(") {
            let inner = try setExpression()
            try expectSymbol(")")
            return inner
        }
        if let list = try unnestList() { return .literals(list) }
        return try select()
    }

    /// One SELECT: a literal without FROM, or one column of a `ref('…')`.
    mutating func select() throws -> ContractQuery {
        try expect("SELECT")
        let distinct = accept("DISTINCT")
        if case .string(let text)? = current {
            position += 1
            try alias()
            guard !isKeyword("FROM") else { throw fail("SELECT of a literal with FROM is not supported") }
            return .literals([try ContractFilter.address(text)])
        }
        var column = try columnReference()
        try alias()
        try expect("FROM")
        let table = try reference()
        let tableAlias = try alias()
        column = try unqualified(column, tableAlias: tableAlias, table: table)
        var predicate: ContractPredicate?
        if accept("WHERE") {
            predicate = try orPredicate(tableAlias: tableAlias, table: table)
        }
        var grouped = false
        if accept("GROUP") {
            try expect("BY")
            grouped = true
            if case .number(let ordinal)? = current {
                guard ordinal == "1" else { throw fail("GROUP BY \(ordinal): only the selected column (1) can be grouped") }
                position += 1
            } else {
                let groupColumn = try unqualified(try columnReference(), tableAlias: tableAlias, table: table)
                guard groupColumn.lowercased() == column.lowercased() else {
                    throw fail("GROUP BY \(groupColumn) differs from the selected column \(column)")
                }
            }
        }
        if let current, current.keyword.map({ ["ORDER", "LIMIT", "HAVING", "JOIN", "LEFT", "INNER", "CROSS", "WINDOW", "QUALIFY"].contains($0) }) == true {
            throw fail("\(current.display) is not supported in a contract_address query")
        }
        return .select(ContractSelect(table: table, column: column, predicate: predicate, distinct: distinct || grouped))
    }

    /// `ref('Table')` (either quote), the only source a query may read.
    mutating func reference() throws -> String {
        guard isKeyword("REF") else {
            throw fail("FROM \(current?.display ?? "nothing"): only ref('Table') of the same dataset is supported")
        }
        position += 1
        try expectSymbol("(")
        guard case .string(let name)? = current, !name.isEmpty else { throw unexpected("a table name string in ref()") }
        position += 1
        try expectSymbol(")")
        return name
    }

    /// An optional `[AS] alias`; returns it.
    @discardableResult
    mutating func alias() throws -> String? {
        if accept("AS") {
            guard let name = identifier() else { throw unexpected("an alias after AS") }
            return name
        }
        if let keyword = current?.keyword, !Self.reserved.contains(keyword) {
            return identifier()
        }
        if case .quotedIdentifier? = current { return identifier() }
        return nil
    }

    mutating func identifier() -> String? {
        switch current {
        case .word(let text)? where !Self.reserved.contains(text.uppercased()):
            position += 1
            return text
        case .quotedIdentifier(let text)?:
            position += 1
            return text
        default:
            return nil
        }
    }

    /// `column`, `alias.column` or `LOWER(column)` (decoded addresses are lower-case already).
    mutating func columnReference() throws -> String {
        if isKeyword("LOWER"), current != nil, position + 1 < tokens.count, tokens[position + 1] == .symbol("(") {
            position += 2
            let inner = try columnReference()
            try expectSymbol(")")
            return inner
        }
        guard let first = identifier() else { throw unexpected("a column name") }
        if acceptSymbol(".") {
            guard let second = identifier() else { throw unexpected("a column name after '.'") }
            return first + "." + second
        }
        return first
    }

    /// Drops a qualifier that names the table's alias; any other qualifier is refused.
    func unqualified(_ column: String, tableAlias: String?, table: String) throws -> String {
        guard let dot = column.firstIndex(of: ".") else { return column }
        let qualifier = String(column[..<dot])
        guard qualifier == tableAlias else { throw fail("column \(column) does not belong to ref('\(table)')") }
        return String(column[column.index(after: dot)...])
    }

    mutating func orPredicate(tableAlias: String?, table: String) throws -> ContractPredicate {
        var left = try andPredicate(tableAlias: tableAlias, table: table)
        while accept("OR") { left = .or(left, try andPredicate(tableAlias: tableAlias, table: table)) }
        return left
    }

    mutating func andPredicate(tableAlias: String?, table: String) throws -> ContractPredicate {
        var left = try notPredicate(tableAlias: tableAlias, table: table)
        while accept("AND") { left = .and(left, try notPredicate(tableAlias: tableAlias, table: table)) }
        return left
    }

    mutating func notPredicate(tableAlias: String?, table: String) throws -> ContractPredicate {
        if accept("NOT") { return .not(try notPredicate(tableAlias: tableAlias, table: table)) }
        if acceptSymbol("(") {
            let inner = try orPredicate(tableAlias: tableAlias, table: table)
            try expectSymbol(")")
            return inner
        }
        let column = try unqualified(try columnReference(), tableAlias: tableAlias, table: table)
        if accept("IS") {
            let negated = accept("NOT")
            try expect("NULL")
            return .isNull(column: column, negated: negated)
        }
        let negated = accept("NOT")
        if accept("IN") {
            try expectSymbol("(")
            var list: [ContractLiteral] = []
            repeat { list.append(try literal()) } while acceptSymbol(",")
            try expectSymbol(")")
            return .inList(column: column, list, negated: negated)
        }
        if negated { throw unexpected("IN after NOT") }
        guard case .symbol(let symbol)? = current, let comparison = ContractPredicate.Comparison(rawValue: symbol) else {
            throw unexpected("a comparison (=, !=, <, <=, >, >=, IN, IS)")
        }
        position += 1
        return .compare(column: column, comparison, try literal())
    }

    mutating func literal() throws -> ContractLiteral {
        let negative = acceptSymbol("-")
        switch current {
        case .string(let text)? where !negative:
            position += 1
            return .string(text)
        case .number(let digits)?:
            position += 1
            return .integer(negative ? "-" + digits : digits)
        case .word(let word)? where !negative && ["TRUE", "FALSE", "NULL"].contains(word.uppercased()):
            position += 1
            switch word.uppercased() {
            case "TRUE": return .bool(true)
            case "FALSE": return .bool(false)
            default: return .null
            }
        default:
            throw unexpected("a literal (string, integer, TRUE, FALSE, NULL)")
        }
    }
}

extension ContractSQLParser {
    /// `SELECT * FROM UNNEST([STRUCT(literal AS name, …), …])`: the rows of a literal view, as
    /// column → text (NULL literals leave the key out).
    mutating func parseStaticRows() throws -> [[String: String]] {
        while acceptSymbol("(") {}
        try expect("SELECT")
        try expectSymbol("*")
        try expect("FROM")
        try expect("UNNEST")
        try expectSymbol("(")
        try expectSymbol("[")
        var rows: [[String: String]] = []
        repeat {
            try expect("STRUCT")
            try expectSymbol("(")
            var row: [String: String] = [:]
            repeat {
                let value = try staticValue()
                try expect("AS")
                guard let name = identifier() else { throw unexpected("a field name after AS") }
                if let value { row[name] = value }
            } while acceptSymbol(",")
            try expectSymbol(")")
            rows.append(row)
        } while acceptSymbol(",")
        try expectSymbol("]")
        try expectSymbol(")")
        try alias()
        while acceptSymbol(")") {}
        try end()
        return rows
    }

    /// A literal's text: strings as they are, numbers (with sign and fraction) as written,
    /// TRUE/FALSE lower-case; nil for NULL.
    mutating func staticValue() throws -> String? {
        let negative = acceptSymbol("-")
        if case .number(let digits)? = current {
            position += 1
            var text = (negative ? "-" : "") + digits
            if acceptSymbol(".") {
                guard case .number(let fraction)? = current else { throw unexpected("digits after '.'") }
                position += 1
                text += "." + fraction
            }
            return text
        }
        guard !negative else { throw unexpected("a number after '-'") }
        switch try literal() {
        case .string(let text): return text
        case .integer(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return nil
        }
    }
}
