// The decode stage's Redshift side: tables created in Redshift types, rows staged to S3 and
// COPYed through a staging table, ref() filters evaluated on the dependencies' distinct values.

import Foundation
import Logging
import PostgresNIO

extension DecodeStage {
    /// Creates the datasets' schemas and tables when missing and adds columns a changed schema
    /// gained; and, in the warehouse schema, the table of per-range counts and digests. Runs in
    /// the caller's transaction (model runs on Redshift go one at a time: `ModelSQL.begin`).
    func prepareRedshift(on connection: PostgresConnection, schema warehouse: String, logger: Logger) async throws {
        try await connection.checkedQuery(PostgresQuery(unsafeSQL: RedshiftDecodeSQL.createDecodedRanges(schema: warehouse)), logger: logger)
        for schema in Set(definitions.map(\.warehouseSchema)).sorted() {
            try await connection.checkedQuery(PostgresQuery(unsafeSQL: RedshiftDecodeSQL.createSchema(schema)), logger: logger)
        }
        for definition in definitions {
            try await connection.checkedQuery(PostgresQuery(unsafeSQL: RedshiftDecodeSQL.createTable(definition)), logger: logger)
            var existing = Set<String>()
            for try await name in try await connection.checkedQuery(RedshiftDecodeSQL.columns(definition), logger: logger).decode(String.self) {
                existing.insert(name.lowercased())
            }
            for column in Self.missingColumns(definition, existing: existing) {
                try await connection.checkedQuery(PostgresQuery(unsafeSQL: RedshiftDecodeSQL.addColumn(definition, column)), logger: logger)
            }
        }
    }

    /// The schema fields a table lacks (Redshift reports column names lower-cased).
    static func missingColumns(_ definition: DecodedTableDefinition, existing: Set<String>) -> [DecodedTableColumn] {
        definition.columns.filter { !$0.isFixed && !existing.contains($0.name.lowercased()) }
    }

    /// Replaces the range's rows of `definition` with `output` (JSON lines) in the caller's
    /// transaction: stages them (when there are any) under the attempt's key, deletes the range,
    /// COPYs into the session's staging table, checks the count, and inserts converting each
    /// column to its type.
    func writeRedshift(_ output: DecodedCopyRows, _ definition: DecodedTableDefinition, first: Int64, last: Int64,
                       target: RedshiftDecodeTarget, attempt: String, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.checkedQuery(RedshiftDecodeSQL.deleteRange(definition, first: first, last: last), logger: logger)
        guard output.rows > 0 else { return }
        let manifest = try await target.stage(output.buffer, key: target.key(definition, first: first, last: last, attempt: attempt))
        for statement in [RedshiftDecodeSQL.dropStaging, RedshiftDecodeSQL.createStaging(definition),
                          try RedshiftDecodeSQL.copy(definition, manifest: manifest, iamRole: target.iamRole, region: target.region)] {
            try await connection.checkedQuery(PostgresQuery(unsafeSQL: statement), logger: logger)
        }
        let copied = try await PostgresWarehouse.single(try await connection.checkedQuery(PostgresQuery(unsafeSQL: RedshiftSQL.lastCopyCount), logger: logger)) ?? -1
        guard copied == Int64(output.rows) else {
            throw LoadError(.rowCountMismatch, "decoded \(Self.key(definition)) on blocks \(first)-\(last): COPY loaded \(copied) rows, \(output.rows) were staged")
        }
        try await connection.checkedQuery(PostgresQuery(unsafeSQL: RedshiftDecodeSQL.insertFromStaging(definition)), logger: logger)
        try await connection.checkedQuery(PostgresQuery(unsafeSQL: RedshiftDecodeSQL.dropStaging), logger: logger)
    }

    /// The addresses a ref() filter selects up to block `last`: each table it reads gives the
    /// distinct values of the columns the query uses (read as Postgres's `::text` gives them), and
    /// `ContractQuery.addresses(rows:)` — the reference the Postgres SQL is tested against — applies
    /// the WHERE clauses and set operators.
    func redshiftContracts(_ query: ContractQuery, dataset: [DecodedTableDefinition], last: Int64,
                           on connection: PostgresConnection, logger: Logger) async throws -> Set<String> {
        // Per table, the columns every select over it uses (a select's row must hold all of
        // them, or an IS NULL test would see a column that was simply not read).
        var used: [String: Set<String>] = [:]
        for select in Self.selects(query) { used[select.table, default: []].formUnion(select.columns) }
        var rows: [String: [[String: String]]] = [:]
        for (table, names) in used.sorted(by: { $0.key < $1.key }) {
            guard let definition = dataset.first(where: { $0.warehouseTable == table.lowercased() }) else {
                throw DecodedTableError(file: "", .unresolvedReference, "ref('\(table)') names no decoded table of the dataset")
            }
            // Query names (as written) → the table's columns.
            var named: [(String, DecodedTableColumn)] = []
            for name in names.sorted() {
                guard let column = definition.columns.first(where: { $0.name.lowercased() == name.lowercased() }) else {
                    throw DecodedTableError(file: definition.file, .unresolvedReference, "ref('\(definition.tableName)') has no column \(name)")
                }
                named.append((name, column))
            }
            let statement = RedshiftDecodeSQL.contractRows(definition, columns: named.map(\.1), last: last)
            var read: [[String: String]] = []
            for try await row in try await connection.checkedQuery(statement, logger: logger) {
                var values: [String: String] = [:]
                for (position, cell) in row.enumerated() {
                    if let text = try cell.decode(String?.self) { values[named[position].0] = text }
                }
                read.append(values)
            }
            rows[table] = read
        }
        return query.addresses { rows[$0] ?? [] }
    }

    /// The selects of a query, each with the table it reads.
    static func selects(_ query: ContractQuery) -> [ContractSelect] {
        switch query {
        case .select(let select): [select]
        case .literals: []
        case .combine(let left, _, let right): selects(left) + selects(right)
        }
    }
}
