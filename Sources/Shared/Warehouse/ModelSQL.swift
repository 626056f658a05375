// Every statement the model runner itself runs (not the models'), per dialect, in one place.

import PostgresNIO

/// The model runner's SQL: the table recording which model was applied to which range, the
/// session setup and the locks. Values are bound; identifiers are ours and quoted.
public enum ModelSQL {
    public static let runsTable = "blockfleet_model_runs"

    /// One row per (model, range) applied, with the fingerprint of the SQL that ran.
    public static func createRuns(_ dialect: WarehouseConfiguration.Dialect, schema: String) -> String {
        let table = qualifiedRuns(schema)
        switch dialect {
        case .postgres:
            return """
                CREATE TABLE IF NOT EXISTS \(table) (
                    "model" TEXT NOT NULL,
                    "first_block" BIGINT NOT NULL,
                    "last_block" BIGINT NOT NULL,
                    "fingerprint" TEXT NOT NULL,
                    "applied_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
                    PRIMARY KEY ("model", "first_block", "last_block")
                )
                """
        case .redshift:
            return """
                CREATE TABLE IF NOT EXISTS \(table) (
                    "model" VARCHAR(256) NOT NULL,
                    "first_block" BIGINT NOT NULL,
                    "last_block" BIGINT NOT NULL,
                    "fingerprint" VARCHAR(64) NOT NULL,
                    "applied_at" TIMESTAMP NOT NULL DEFAULT GETDATE()
                )
                DISTSTYLE ALL
                """
        }
    }

    static func qualifiedRuns(_ schema: String) -> String {
        "\(PostgresWarehouseSQL.quoted(schema)).\(PostgresWarehouseSQL.quoted(runsTable))"
    }

    /// Opens a model run: unqualified names in models resolve to the warehouse schema. Postgres
    /// scopes it to the transaction; Redshift has no SET LOCAL, and every warehouse connection
    /// of a worker uses this one schema. Redshift has no advisory locks either, so its model runs
    /// take the runs table's lock and go one at a time.
    public static func begin(_ dialect: WarehouseConfiguration.Dialect, schema: String) -> [String] {
        switch dialect {
        case .postgres:
            return ["SET LOCAL search_path TO \(PostgresWarehouseSQL.quoted(schema))"]
        case .redshift:
            return ["SET search_path TO \(PostgresWarehouseSQL.quoted(schema))", "LOCK \(qualifiedRuns(schema))"]
        }
    }

    /// Serialises runs of one model across ranges (Postgres), so two ranges rewriting a shared
    /// row (a day's totals) never interleave. Not taken for `concurrent` models.
    static func lockModel(_ name: String, schema: String) -> PostgresQuery {
        "SELECT pg_advisory_xact_lock(\(PostgresWarehouse.lockKey("model:\(schema).\(name)")))"
    }

    /// How many of the relation names bound as `$1` (a text array, names as SQL writes them)
    /// do not resolve in the search path (the warehouse schema, set by `begin`). Postgres only.
    static let missingRelations = "SELECT count(*) FROM unnest(CAST($1 AS TEXT[])) AS r(name) WHERE to_regclass(r.name) IS NULL"

    public static func applied(schema: String) -> String {
        """
        SELECT count(*) FROM \(qualifiedRuns(schema))
        WHERE "model" = $1 AND "first_block" = $2 AND "last_block" = $3 AND "fingerprint" = $4
        """
    }

    public static func forget(schema: String) -> String {
        "DELETE FROM \(qualifiedRuns(schema)) WHERE \"model\" = $1 AND \"first_block\" = $2 AND \"last_block\" = $3"
    }

    public static func record(schema: String) -> String {
        "INSERT INTO \(qualifiedRuns(schema)) (\"model\", \"first_block\", \"last_block\", \"fingerprint\") VALUES ($1, $2, $3, $4)"
    }

    /// Run by a load in its own transaction: the range's data changed, so every model applied to
    /// a range touching it must run again.
    public static func invalidate(schema: String) -> String {
        "DELETE FROM \(qualifiedRuns(schema)) WHERE \"last_block\" >= $1 AND \"first_block\" <= $2"
    }

    static func bindings(_ values: any PostgresDynamicTypeEncodable...) -> PostgresBindings {
        var bindings = PostgresBindings()
        for value in values { bindings.append(value) }
        return bindings
    }
}
