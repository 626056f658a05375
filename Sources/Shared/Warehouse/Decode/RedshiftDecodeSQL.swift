// Every statement the decode stage runs on Redshift, in one place. Values are bound; identifiers
// come from definitions whose names were checked (letters, digits, _) and are quoted; COPY's
// manifest URL and role (which Redshift cannot bind) are checked as `RedshiftSQL.copy` does.

import PostgresNIO

/// The decode stage's SQL for Redshift: no advisory locks, no `ON CONFLICT`, no arrays (`IN`
/// lists of bound values instead of `= ANY($n)`), no COPY FROM STDIN (rows are staged to S3 and
/// COPYed), SUPER for JSON through `JSON_PARSE`. Statements shared with Postgres (`applied`,
/// `rangeCounts`, `contiguousMark`) are `DecodeStageSQL`'s; `RedshiftDecodeSQLTests` parses them
/// all with sqlglot's Redshift dialect.
public enum RedshiftDecodeSQL {
    public static func quoted(_ identifier: String) -> String { PostgresWarehouseSQL.quoted(identifier) }

    /// `"dataset"."table"`: Redshift names may be 127 bytes, so the full lower-cased names
    /// (Postgres shortens past 63 bytes; Redshift does not need to).
    public static func table(_ definition: DecodedTableDefinition) -> String {
        "\(quoted(definition.warehouseSchema)).\(quoted(definition.warehouseTable))"
    }

    public static func createSchema(_ schema: String) -> String {
        "CREATE SCHEMA IF NOT EXISTS \(quoted(schema))"
    }

    /// Distributed and sorted by block, as the enrich models' tables: the range delete and the
    /// ref() reads (`block_number <= last`) are range scans on the sort key.
    public static func createTable(_ definition: DecodedTableDefinition) -> String {
        let columns = definition.columns.map { "    \(quoted($0.name)) \($0.type.redshift)" }.joined(separator: ",\n")
        return """
            CREATE TABLE IF NOT EXISTS \(table(definition)) (
            \(columns)
            )
            DISTKEY ("block_number")
            SORTKEY ("block_number")
            """
    }

    /// The table's column names (lower-case: Redshift folds identifiers), to add the fields a
    /// changed schema gained (Redshift has no `ADD COLUMN IF NOT EXISTS`).
    public static func columns(_ definition: DecodedTableDefinition) -> PostgresQuery {
        var bindings = PostgresBindings()
        bindings.append(definition.warehouseSchema)
        bindings.append(definition.warehouseTable)
        return PostgresQuery(unsafeSQL: """
            SELECT "column_name" FROM information_schema.columns WHERE "table_schema" = $1 AND "table_name" = $2
            """, binds: bindings)
    }

    public static func addColumn(_ definition: DecodedTableDefinition, _ column: DecodedTableColumn) -> String {
        "ALTER TABLE \(table(definition)) ADD COLUMN \(quoted(column.name)) \(column.type.redshift)"
    }

    /// `blockfleet_decoded_ranges` as on Postgres, in Redshift types (a primary key is declared
    /// but not enforced there: `recordCounts` deletes before it inserts).
    public static func createDecodedRanges(schema: String) -> String {
        """
        CREATE TABLE IF NOT EXISTS \(DecodeStageSQL.decodedRanges(schema)) (
            "table_name" VARCHAR(512) NOT NULL,
            "first_block" BIGINT NOT NULL,
            "last_block" BIGINT NOT NULL,
            "decoded" BIGINT NOT NULL,
            "skipped" BIGINT NOT NULL,
            "digest" VARCHAR(66),
            "fingerprint" VARCHAR(66),
            "decoded_at" TIMESTAMP NOT NULL DEFAULT GETDATE()
        )
        DISTSTYLE ALL
        """
    }

    public static func recordCounts(schema: String, table: String, first: Int64, last: Int64, decoded: Int, skipped: Int, digest: String?, fingerprint: String) -> [PostgresQuery] {
        var bindings = ModelSQL.bindings(table, first, last, Int64(decoded), Int64(skipped))
        bindings.append(digest)
        bindings.append(fingerprint)
        return [
            PostgresQuery(unsafeSQL: """
                DELETE FROM \(DecodeStageSQL.decodedRanges(schema)) WHERE "table_name" = $1 AND "first_block" = $2 AND "last_block" = $3
                """, binds: ModelSQL.bindings(table, first, last)),
            PostgresQuery(unsafeSQL: """
                INSERT INTO \(DecodeStageSQL.decodedRanges(schema)) ("table_name", "first_block", "last_block", "decoded", "skipped", "digest", "fingerprint")
                VALUES ($1, $2, $3, $4, $5, $6, $7)
                """, binds: bindings),
        ]
    }

    /// `($k, $k+1, …)` for `values`, appended to `bindings`.
    public static func inList(_ values: [String], _ bindings: inout PostgresBindings) -> String {
        var marks: [String] = []
        for value in values {
            bindings.append(value)
            marks.append("$\(bindings.count)")
        }
        return "(" + marks.joined(separator: ", ") + ")"
    }

    /// The range's logs with their block's time (the blocks table's Unix seconds), in order. With
    /// `topic0s`, only logs whose first topic is one of them (none: no row).
    public static func logs(schema: String, first: Int64, last: Int64, topic0s: [String]?) -> PostgresQuery {
        var bindings = PostgresBindings()
        bindings.append(first)
        bindings.append(last)
        var filter = ""
        if let topic0s {
            filter = topic0s.isEmpty ? "\n  AND FALSE" : "\n  AND LOWER(SPLIT_PART(l.\"topics\", ',', 1)) IN \(inList(topic0s, &bindings))"
        }
        return PostgresQuery(unsafeSQL: """
            SELECT l."block_number", l."log_index", l."transaction_hash", l."address", l."data", l."topics", b."timestamp"
            FROM \(quoted(schema))."logs" AS l
            LEFT JOIN \(quoted(schema))."blocks" AS b ON b."number" = l."block_number" AND b."number" BETWEEN $1 AND $2
            WHERE l."block_number" BETWEEN $1 AND $2\(filter)
            ORDER BY l."block_number", l."log_index"
            """, binds: bindings)
    }

    /// The range's calls whose input starts with one of `selectors` (`0x` and 8 hex digits).
    public static func traces(schema: String, first: Int64, last: Int64, selectors: [String]) -> PostgresQuery {
        var bindings = PostgresBindings()
        bindings.append(first)
        bindings.append(last)
        let filter = selectors.isEmpty ? "FALSE" : "LOWER(LEFT(t.\"input\", 10)) IN \(inList(selectors, &bindings))"
        return PostgresQuery(unsafeSQL: """
            SELECT t."block_number", t."transaction_hash", t."transaction_index", t."trace_address", t."to_address", t."status", t."input", b."timestamp"
            FROM \(quoted(schema))."traces" AS t
            LEFT JOIN \(quoted(schema))."blocks" AS b ON b."number" = t."block_number" AND b."number" BETWEEN $1 AND $2
            WHERE t."block_number" BETWEEN $1 AND $2
              AND \(filter)
            ORDER BY t."block_number", t."transaction_index", t."trace_address"
            """, binds: bindings)
    }

    /// A column's value as the text `ContractPredicate` compares (what Postgres's `col::text`
    /// gives): SUPER serialised, booleans `true`/`false`, timestamps `YYYY-MM-DD HH:MM:SS`.
    public static func text(_ column: DecodedTableColumn) -> String {
        let name = "t.\(quoted(column.name))"
        switch column.type {
        case .text, .bigNumeric: return name
        case .integer, .numeric, .float: return "CAST(\(name) AS VARCHAR)"
        case .boolean: return "CASE WHEN \(name) THEN 'true' WHEN NOT \(name) THEN 'false' END"
        case .timestamp: return "TO_CHAR(\(name), 'YYYY-MM-DD HH24:MI:SS')"
        case .json: return "JSON_SERIALIZE(\(name))"
        }
    }

    /// The distinct values of `columns` (of a ref()'d table) in rows up to block `last`, as text:
    /// `ContractQuery.addresses(rows:)` evaluates the select's WHERE on them in Swift. Why not
    /// `DecodeContractSQL` as on Postgres: it relies on arrays, regular-expression casts to
    /// unbounded NUMERIC and `COLLATE "C"`, which Redshift lacks; only the columns the select
    /// reads come back, and DISTINCT leaves one row per distinct address (and predicate values).
    public static func contractRows(_ definition: DecodedTableDefinition, columns: [DecodedTableColumn], last: Int64) -> PostgresQuery {
        var bindings = PostgresBindings()
        bindings.append(last)
        let list = columns.map { "\(text($0)) AS \(quoted($0.name))" }.joined(separator: ", ")
        return PostgresQuery(unsafeSQL: "SELECT DISTINCT \(list) FROM \(table(definition)) AS t WHERE t.\"block_number\" <= $1", binds: bindings)
    }

    public static func deleteRange(_ definition: DecodedTableDefinition, first: Int64, last: Int64) -> PostgresQuery {
        PostgresQuery(unsafeSQL: "DELETE FROM \(table(definition)) WHERE \"block_number\" BETWEEN $1 AND $2", binds: ModelSQL.bindings(first, last))
    }

    /// The session's staging table for one decoded table's rows: every column text, so the COPY
    /// never fails on a type and the INSERT converts (`insertFromStaging`).
    public static let stagingTable = "blockfleet_decode_staging"

    public static let dropStaging = "DROP TABLE IF EXISTS \(PostgresWarehouseSQL.quoted(stagingTable))"

    public static func createStaging(_ definition: DecodedTableDefinition) -> String {
        let columns = definition.columns.map { "\(quoted($0.name)) VARCHAR(65535)" }.joined(separator: ", ")
        return "CREATE TEMP TABLE \(quoted(stagingTable)) (\(columns))"
    }

    /// `COPY … FROM '<manifest>' IAM_ROLE '…' MANIFEST FORMAT AS JSON 'auto ignorecase' GZIP`:
    /// exactly the object the manifest lists; keys matched to columns whatever their case (Redshift
    /// folds column names to lower case, ABI names keep theirs).
    public static func copy(_ definition: DecodedTableDefinition, manifest url: String, iamRole: String, region: String?) throws(LoadError) -> String {
        guard url.hasPrefix("s3://"), RedshiftSQL.isSafeLiteral(url) else {
            throw LoadError(.invalidRequest, "Redshift COPY needs an s3:// manifest with plain characters, got '\(url)'")
        }
        guard RedshiftSQL.isSafeLiteral(iamRole) else {
            throw LoadError(.invalidRequest, "the IAM role is not a plain ARN")
        }
        let columns = definition.columns.map { quoted($0.name) }.joined(separator: ", ")
        var text = "COPY \(quoted(stagingTable)) (\(columns)) FROM '\(url)' IAM_ROLE '\(iamRole)' MANIFEST FORMAT AS JSON 'auto ignorecase' GZIP COMPUPDATE OFF STATUPDATE OFF"
        if let region {
            guard RedshiftSQL.isSafeLiteral(region) else { throw LoadError(.invalidRequest, "region '\(region)' is not a region name") }
            text += " REGION '\(region)'"
        }
        return text
    }

    /// A staged text as its column's type. Booleans compare (Redshift cannot CAST text to
    /// BOOLEAN); JSON becomes SUPER through JSON_PARSE.
    public static func converted(_ column: DecodedTableColumn) -> String {
        let name = "s.\(quoted(column.name))"
        switch column.type {
        case .text, .bigNumeric: return name
        case .integer: return "CAST(\(name) AS BIGINT)"
        case .numeric: return "CAST(\(name) AS DECIMAL(38,0))"
        case .float: return "CAST(\(name) AS DOUBLE PRECISION)"
        case .boolean: return "(\(name) = 'true')"
        case .timestamp: return "CAST(\(name) AS TIMESTAMP)"
        case .json: return "JSON_PARSE(\(name))"
        }
    }

    public static func insertFromStaging(_ definition: DecodedTableDefinition) -> String {
        let columns = definition.columns.map { quoted($0.name) }.joined(separator: ", ")
        let values = definition.columns.map(converted).joined(separator: ", ")
        return "INSERT INTO \(table(definition)) (\(columns)) SELECT \(values) FROM \(quoted(stagingTable)) AS s"
    }

    /// Forgets the runs of `names` on every range starting after `after` (see `DecodeStageSQL`).
    public static func forgetLater(schema: String, names: [String], after: Int64) -> PostgresQuery {
        var bindings = PostgresBindings()
        bindings.append(after)
        let list = inList(names, &bindings)
        return PostgresQuery(unsafeSQL: """
            DELETE FROM \(ModelSQL.qualifiedRuns(schema)) WHERE "first_block" > $1 AND "model" IN \(list)
            """, binds: bindings)
    }

    /// Every statement the Redshift decode stage can send for `definitions` in the warehouse
    /// `schema` (the shared ones of `DecodeStageSQL` included), for checking as text: Redshift is
    /// not available to the tests. Bound values are sample ones; the text does not depend on them
    /// except for the number of `IN` placeholders.
    public static func statements(_ definitions: [DecodedTableDefinition], schema: String, manifest: String, iamRole: String, region: String?) throws -> [String] {
        var all = [createDecodedRanges(schema: schema)]
        all += Set(definitions.map(\.warehouseSchema)).sorted().map(createSchema)
        all += [
            DecodeStageSQL.applied(schema: schema, first: 0, last: 99).sql,
            DecodeStageSQL.rangeCounts(schema: schema, first: 0, last: 99).sql,
            DecodeStageSQL.contiguousMark(schema: schema, run: "decode:x.y", fingerprint: "0x", origin: 0).sql,
            logs(schema: schema, first: 0, last: 99, topic0s: nil).sql,
            logs(schema: schema, first: 0, last: 99, topic0s: ["0x01", "0x02"]).sql,
            logs(schema: schema, first: 0, last: 99, topic0s: []).sql,
            traces(schema: schema, first: 0, last: 99, selectors: ["0x12345678"]).sql,
            forgetLater(schema: schema, names: ["decode:x.y", "decode:x.z"], after: 99).sql,
            dropStaging,
            RedshiftSQL.lastCopyCount,
        ]
        all += recordCounts(schema: schema, table: "x.y", first: 0, last: 99, decoded: 1, skipped: 0, digest: nil, fingerprint: "0x").map(\.sql)
        for definition in definitions {
            all += [createTable(definition), columns(definition).sql, createStaging(definition),
                    try copy(definition, manifest: manifest, iamRole: iamRole, region: region), insertFromStaging(definition),
                    deleteRange(definition, first: 0, last: 99).sql, contractRows(definition, columns: definition.columns, last: 99).sql]
            all += definition.columns.filter { !$0.isFixed }.map { addColumn(definition, $0) }
        }
        return all
    }
}
