// Every statement the decode stage runs, in one place. Values are bound; identifiers come from
// definitions whose names were checked (letters, digits, _) and are quoted.

import PostgresNIO

/// The decode stage's SQL (Postgres).
enum DecodeStageSQL {
    static func quoted(_ identifier: String) -> String { PostgresWarehouseSQL.quoted(identifier) }

    /// The table's Postgres name (shortened past 63 bytes), quoted and qualified.
    static func table(_ definition: DecodedTableDefinition) -> String {
        "\(quoted(definition.postgresSchema)).\(quoted(definition.postgresTable))"
    }

    static func createTable(_ definition: DecodedTableDefinition) -> String {
        let columns = definition.columns.map { "    \(quoted($0.name)) \($0.type.postgres)" }.joined(separator: ",\n")
        return "CREATE TABLE IF NOT EXISTS \(table(definition)) (\n\(columns)\n)"
    }

    /// The range delete's index. Named by a hash: `<table>_block_number_idx` could pass 63 bytes
    /// and be truncated into another table's index name.
    static func createIndex(_ definition: DecodedTableDefinition) -> String {
        let key = UInt64(bitPattern: PostgresWarehouse.lockKey("decoded:\(definition.warehouseSchema).\(definition.warehouseTable)"))
        let name = "decoded_\(String(key, radix: 16))_block_number_idx"
        return "CREATE INDEX IF NOT EXISTS \(quoted(name)) ON \(table(definition)) (\"block_number\")"
    }

    /// A definition whose schema gained a field decodes into the table it already has.
    static func addColumn(_ definition: DecodedTableDefinition, _ column: DecodedTableColumn) -> String {
        "ALTER TABLE \(table(definition)) ADD COLUMN IF NOT EXISTS \(quoted(column.name)) \(column.type.postgres)"
    }

    /// Whether `blockfleet_reader` exists, and whether this login may grant USAGE on `schema`
    /// (it owns it, or is a member of its owner).
    static func readerGrants(schema: String) -> PostgresQuery {
        """
        SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'blockfleet_reader'),
               COALESCE((SELECT pg_has_role(nspowner, 'USAGE') FROM pg_namespace WHERE nspname = \(schema)), false)
        """
    }

    static func grantSchema(_ schema: String) -> String {
        "GRANT USAGE ON SCHEMA \(quoted(schema)) TO blockfleet_reader"
    }

    /// Whether this login owns the table (or is a member of its owner): only then may it grant.
    static func ownsTable(_ definition: DecodedTableDefinition) -> PostgresQuery {
        """
        SELECT COALESCE((SELECT pg_has_role(c.relowner, 'USAGE') FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
                         WHERE n.nspname = \(definition.postgresSchema) AND c.relname = \(definition.postgresTable)), false)
        """
    }

    /// Whether this login owns `schema.table` (or is a member of its owner).
    static func owns(schema: String, table: String) -> PostgresQuery {
        """
        SELECT COALESCE((SELECT pg_has_role(c.relowner, 'USAGE') FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
                         WHERE n.nspname = \(schema) AND c.relname = \(table)), false)
        """
    }

    static func grantDecodedRanges(schema: String) -> String {
        "GRANT SELECT ON \(decodedRanges(schema)) TO blockfleet_reader"
    }

    static func grantTable(_ definition: DecodedTableDefinition) -> String {
        "GRANT SELECT ON \(table(definition)) TO blockfleet_reader"
    }

    static func deleteRange(_ definition: DecodedTableDefinition, first: Int64, last: Int64) -> PostgresQuery {
        var bindings = PostgresBindings()
        bindings.append(first)
        bindings.append(last)
        return PostgresQuery(unsafeSQL: "DELETE FROM \(table(definition)) WHERE \"block_number\" BETWEEN $1 AND $2", binds: bindings)
    }

    /// COPY names one unqualified table: the search path points at the dataset's schema meanwhile.
    static func searchPath(_ schema: String) -> String {
        "SET LOCAL search_path TO \(quoted(schema))"
    }

    /// The range's logs with their block's time, in order. With `topic0s`, only logs whose first
    /// topic is one of them (when no anonymous event is enabled, the others cannot match).
    static func logs(schema: String, first: Int64, last: Int64, topic0s: [String]?) -> PostgresQuery {
        var bindings = PostgresBindings()
        bindings.append(first)
        bindings.append(last)
        var filter = ""
        if let topic0s {
            bindings.append(topic0s)
            filter = "\n  AND lower(split_part(l.\"topics\", ',', 1)) = ANY($3)"
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
    static func traces(schema: String, first: Int64, last: Int64, selectors: [String]) -> PostgresQuery {
        var bindings = PostgresBindings()
        bindings.append(first)
        bindings.append(last)
        bindings.append(selectors)
        return PostgresQuery(unsafeSQL: """
            SELECT t."block_number", t."transaction_hash", t."transaction_index", t."trace_address", t."to_address", t."status", t."input", b."timestamp"
            FROM \(quoted(schema))."traces" AS t
            LEFT JOIN \(quoted(schema))."blocks" AS b ON b."number" = t."block_number" AND b."number" BETWEEN $1 AND $2
            WHERE t."block_number" BETWEEN $1 AND $2
              AND lower(left(t."input", 10)) = ANY($3)
            ORDER BY t."block_number", t."transaction_index", t."trace_address"
            """, binds: bindings)
    }

    /// The ranges this run already decoded, with the definition's fingerprint.
    static func applied(schema: String, first: Int64, last: Int64) -> PostgresQuery {
        var bindings = PostgresBindings()
        bindings.append(first)
        bindings.append(last)
        return PostgresQuery(unsafeSQL: """
            SELECT "model", "fingerprint" FROM \(ModelSQL.qualifiedRuns(schema))
            WHERE "first_block" = $1 AND "last_block" = $2 AND "model" LIKE 'decode:%'
            """, binds: bindings)
    }

    static let decodedRangesTable = "blockfleet_decoded_ranges"

    static func decodedRanges(_ schema: String) -> String {
        "\(quoted(schema)).\(quoted(decodedRangesTable))"
    }

    /// Per (decoded table, range): rows written, rows skipped, and for a table others read a
    /// digest of its rows. Not cleared by loads (unlike the runs): a reload compares against it.
    static func createDecodedRanges(schema: String) -> String {
        """
        CREATE TABLE IF NOT EXISTS \(decodedRanges(schema)) (
            "table_name" TEXT NOT NULL,
            "first_block" BIGINT NOT NULL,
            "last_block" BIGINT NOT NULL,
            "decoded" BIGINT NOT NULL,
            "skipped" BIGINT NOT NULL,
            "digest" TEXT,
            "fingerprint" TEXT,
            "decoded_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
            PRIMARY KEY ("table_name", "first_block", "last_block")
        )
        """
    }

    /// What each table got from the range when it was last decoded.
    static func rangeCounts(schema: String, first: Int64, last: Int64) -> PostgresQuery {
        PostgresQuery(unsafeSQL: """
            SELECT "table_name", "decoded", "skipped", "digest", "fingerprint" FROM \(decodedRanges(schema))
            WHERE "first_block" = $1 AND "last_block" = $2
            """, binds: ModelSQL.bindings(first, last))
    }

    /// Every table decoded on the range, recorded at once: its run (as `ModelSQL.forget` +
    /// `record` would, one table at a time) and its counts. Two statements a range instead of
    /// three per table, and a user may enable hundreds. A nil digest travels as "" (never a hex digest) and is stored NULL.
    static func recordRuns(schema: String, names: [String], fingerprints: [String], first: Int64, last: Int64) -> PostgresQuery {
        PostgresQuery(unsafeSQL: """
            INSERT INTO \(ModelSQL.qualifiedRuns(schema)) ("model", "first_block", "last_block", "fingerprint")
            SELECT r."name", $3, $4, r."fingerprint" FROM unnest(CAST($1 AS TEXT[]), CAST($2 AS TEXT[])) AS r("name", "fingerprint")
            ON CONFLICT ("model", "first_block", "last_block") DO UPDATE SET "fingerprint" = EXCLUDED."fingerprint", "applied_at" = now()
            """, binds: ModelSQL.bindings(names, fingerprints, first, last))
    }

    static func recordCounts(schema: String, tables: [String], first: Int64, last: Int64, decoded: [Int64], skipped: [Int64], digests: [String?], fingerprints: [String]) -> PostgresQuery {
        PostgresQuery(unsafeSQL: """
            INSERT INTO \(decodedRanges(schema)) ("table_name", "first_block", "last_block", "decoded", "skipped", "digest", "fingerprint")
            SELECT c."table_name", $2, $3, c."decoded", c."skipped", NULLIF(c."digest", ''), c."fingerprint"
            FROM unnest(CAST($1 AS TEXT[]), CAST($4 AS BIGINT[]), CAST($5 AS BIGINT[]), CAST($6 AS TEXT[]), CAST($7 AS TEXT[]))
                AS c("table_name", "decoded", "skipped", "digest", "fingerprint")
            ON CONFLICT ("table_name", "first_block", "last_block") DO UPDATE SET
                "decoded" = EXCLUDED."decoded", "skipped" = EXCLUDED."skipped", "digest" = EXCLUDED."digest",
                "fingerprint" = EXCLUDED."fingerprint", "decoded_at" = now()
            """, binds: ModelSQL.bindings(tables, first, last, decoded, skipped, digests.map { $0 ?? "" }, fingerprints))
    }

    /// A decoded table's high-water mark: the last block `B` such that every block from `origin`
    /// to `B` lies in a range where the table's run has this fingerprint (`origin - 1`: none).
    /// Ranges are walked in block order; the first whose start is past the reach of those before
    /// it (+1) ends the walk. Reads the run rows of one table (the runs' primary key leads with it).
    static func contiguousMark(schema: String, run: String, fingerprint: String, origin: Int64) -> PostgresQuery {
        PostgresQuery(unsafeSQL: """
            WITH r AS (
                SELECT "first_block", "last_block",
                       max("last_block") OVER (ORDER BY "first_block", "last_block" ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS "reach"
                FROM \(ModelSQL.qualifiedRuns(schema))
                WHERE "model" = $1 AND "fingerprint" = $2 AND "last_block" >= $3
            )
            SELECT COALESCE(
                (SELECT GREATEST(COALESCE("reach", $3 - 1), $3 - 1) FROM r
                 WHERE "first_block" > GREATEST(COALESCE("reach", $3 - 1), $3 - 1) + 1
                 ORDER BY "first_block", "last_block" LIMIT 1),
                (SELECT GREATEST(max("last_block"), $3 - 1) FROM r))
            """, binds: ModelSQL.bindings(run, fingerprint, origin))
    }

    /// Forgets the runs of `names` on every range starting after `after`: they read a table that
    /// changed on an earlier range, so they are decoded again (and their own marks drop meanwhile).
    static func forgetLater(schema: String, names: [String], after: Int64) -> PostgresQuery {
        PostgresQuery(unsafeSQL: """
            DELETE FROM \(ModelSQL.qualifiedRuns(schema)) WHERE "model" = ANY($1) AND "first_block" > $2
            """, binds: ModelSQL.bindings(names, after))
    }
}
