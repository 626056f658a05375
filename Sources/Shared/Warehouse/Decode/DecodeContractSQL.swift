// A ref() contract filter as one Postgres query over the dataset's decoded tables, values bound.

import PostgresNIO

/// Translates a `ContractQuery` into one SELECT of distinct lower-cased addresses over decoded
/// tables, each read up to a block. Why SQL and not reading the rows into Swift: a factory table
/// (PairCreated) grows without bound, and every range of every dependent would carry all of it over
/// the wire; in SQL only the addresses come back. Every literal is a bound parameter; identifiers
/// are the catalog's checked names, quoted. The SQL mirrors `ContractPredicate.holds` on each
/// column's text (`col::text`), so both give the same set (`DecodeRefTests` checks it):
/// integers compare numerically (text that is not an integer: false), `0x` text case-insensitively,
/// other text by code point (`COLLATE "C"`), booleans against `true`/`false`, NULL as unknown.
struct DecodeContractSQL {
    /// The definitions of the dependent's dataset by lower-cased table name.
    let tables: [String: DecodedTableDefinition]
    var bindings = PostgresBindings()

    init(dataset: [DecodedTableDefinition]) {
        var tables: [String: DecodedTableDefinition] = [:]
        for definition in dataset { tables[definition.warehouseTable] = definition }
        self.tables = tables
    }

    /// `SELECT DISTINCT address FROM (…)` for the query, every table read where `block_number <= last`.
    static func addresses(_ query: ContractQuery, dataset: [DecodedTableDefinition], last: Int64) throws -> PostgresQuery {
        var builder = DecodeContractSQL(dataset: dataset)
        builder.bindings.append(last)
        let body = try builder.query(query)
        return PostgresQuery(unsafeSQL: "SELECT DISTINCT q.\"address\" FROM (\(body)) AS q(\"address\") WHERE q.\"address\" IS NOT NULL", binds: builder.bindings)
    }

    mutating func bind(_ value: some PostgresDynamicTypeEncodable) -> String {
        bindings.append(value)
        return "$\(bindings.count)"
    }

    mutating func query(_ query: ContractQuery) throws -> String {
        switch query {
        case .literals(let addresses):
            return "SELECT unnest(\(bind(addresses.map { $0.lowercased() }))::text[])"
        case .select(let select):
            return try self.select(select)
        case .combine(let left, let op, let right):
            // Postgres's UNION, EXCEPT and INTERSECT are DISTINCT; UNION ALL makes no difference
            // to a set of addresses.
            let word: String
            switch op {
            case .unionAll, .unionDistinct: word = "UNION"
            case .exceptDistinct: word = "EXCEPT"
            case .intersectDistinct: word = "INTERSECT"
            }
            return "(\(try self.query(left))) \(word) (\(try self.query(right)))"
        }
    }

    func definition(_ name: String) throws -> DecodedTableDefinition {
        guard let definition = tables[name.lowercased()] else {
            throw DecodedTableError(file: "", .unresolvedReference, "ref('\(name)') names no decoded table of the dataset")
        }
        return definition
    }

    /// The column of `definition` named `name` (case-insensitively, as the catalog checked it), as
    /// quoted text.
    static func column(_ name: String, of definition: DecodedTableDefinition) throws -> String {
        guard let column = definition.columns.first(where: { $0.name.lowercased() == name.lowercased() }) else {
            throw DecodedTableError(file: definition.file, .unresolvedReference, "ref('\(definition.tableName)') has no column \(name)")
        }
        return "t.\(PostgresWarehouseSQL.quoted(column.name))::text"
    }

    mutating func select(_ select: ContractSelect) throws -> String {
        let definition = try definition(select.table)
        let column = try Self.column(select.column, of: definition)
        var sql = "SELECT lower(\(column)) FROM \(DecodeStageSQL.table(definition)) AS t WHERE t.\"block_number\" <= $1"
        if let predicate = select.predicate {
            sql += " AND (\(try self.predicate(predicate, definition)))"
        }
        return sql
    }

    mutating func predicate(_ predicate: ContractPredicate, _ definition: DecodedTableDefinition) throws -> String {
        switch predicate {
        case .compare(let name, let comparison, let literal):
            let column = try Self.column(name, of: definition)
            return "(CASE WHEN \(column) IS NULL THEN NULL ELSE \(compare(column, comparison, literal)) END)"
        case .inList(let name, let literals, let negated):
            let column = try Self.column(name, of: definition)
            guard !literals.isEmpty else { return negated ? "TRUE" : "FALSE" }
            let any = literals.map { compare(column, .equal, $0) }.joined(separator: " OR ")
            return "(CASE WHEN \(column) IS NULL THEN NULL ELSE \(negated ? "NOT " : "")(\(any)) END)"
        case .isNull(let name, let negated):
            return "(\(try Self.column(name, of: definition)) IS \(negated ? "NOT " : "")NULL)"
        case .and(let left, let right):
            return "(\(try self.predicate(left, definition)) AND \(try self.predicate(right, definition)))"
        case .or(let left, let right):
            return "(\(try self.predicate(left, definition)) OR \(try self.predicate(right, definition)))"
        case .not(let inner):
            return "(NOT \(try self.predicate(inner, definition)))"
        }
    }

    /// `ContractLiteral.compare` for a non-NULL column text: true, false, or NULL (a NULL literal).
    mutating func compare(_ column: String, _ comparison: ContractPredicate.Comparison, _ literal: ContractLiteral) -> String {
        let op = comparison == .notEqual ? "<>" : comparison.rawValue
        switch literal {
        case .null:
            return "NULL::boolean"
        case .bool(let flag):
            return "(CASE WHEN lower(\(column)) IN ('true', 'false') THEN (lower(\(column)) = 'true') \(op) \(bind(flag)) ELSE FALSE END)"
        case .integer(let text):
            return "(CASE WHEN \(column) ~ '^-?[0-9]+$' THEN \(column)::numeric \(op) \(bind(text))::numeric ELSE FALSE END)"
        case .string(let text):
            let value = text.hasPrefix("0x") || text.hasPrefix("0X") ? text.lowercased() : text
            return "((CASE WHEN \(column) LIKE '0x%' THEN lower(\(column)) ELSE \(column) END) COLLATE \"C\" \(op) \(bind(value)) COLLATE \"C\")"
        }
    }
}
