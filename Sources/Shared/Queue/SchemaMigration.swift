// The versioned schema of the queue: each migration a list of single statements.

/// One change to the schema. Statements run one by one (postgres-nio sends one statement per
/// query) inside the migrator's transaction, so a migration applies whole or not at all.
public struct SchemaMigration: Sendable {
    public let version: Int
    public let name: String
    public let statements: [String]

    /// Every migration, in order. Append only: a released migration is never edited.
    public static let all: [SchemaMigration] = [createQueue, createWorkers, createOperations, queueDepthPaused, decodedCounts]

    static let createQueue = SchemaMigration(version: 1, name: "create jobs", statements: [
        """
        CREATE TABLE jobs (
            id               BIGSERIAL PRIMARY KEY,
            kind             TEXT NOT NULL CHECK (kind <> ''),
            first_block      BIGINT NOT NULL CHECK (first_block >= 0),
            last_block       BIGINT NOT NULL,
            entities         TEXT NOT NULL DEFAULT '',
            payload          JSONB NOT NULL DEFAULT '{}',
            state            TEXT NOT NULL DEFAULT 'pending'
                             CHECK (state IN ('pending', 'running', 'retrying', 'succeeded', 'dead', 'cancelled')),
            priority         INTEGER NOT NULL DEFAULT 100,
            attempts         INTEGER NOT NULL DEFAULT 0,
            max_attempts     INTEGER NOT NULL DEFAULT 5 CHECK (max_attempts > 0),
            run_after        TIMESTAMPTZ NOT NULL DEFAULT now(),
            lease_owner      TEXT,
            lease_token      BIGINT NOT NULL DEFAULT 0,
            lease_expires_at TIMESTAMPTZ,
            last_error       TEXT,
            result           JSONB,
            created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
            updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
            started_at       TIMESTAMPTZ,
            finished_at      TIMESTAMPTZ,
            CHECK (last_block >= first_block),
            CHECK (state <> 'running' OR (lease_owner IS NOT NULL AND lease_expires_at IS NOT NULL))
        )
        """,
        // What a job covers is unique: re-planning and re-sent follow-ups insert nothing.
        "CREATE UNIQUE INDEX jobs_coverage ON jobs (kind, first_block, last_block, entities)",
        // The claim reads this index only: ready rows in claim order, finished rows never scanned.
        "CREATE INDEX jobs_ready ON jobs (priority, first_block, id) INCLUDE (kind, run_after) WHERE state IN ('pending', 'retrying')",
        // The reaper's scan: running jobs by lease expiry.
        "CREATE INDEX jobs_leases ON jobs (lease_expires_at) WHERE state = 'running'",
        // Status, gaps and pruning look up by kind, state and finish time.
        "CREATE INDEX jobs_kind_state ON jobs (kind, state, finished_at)",
        """
        CREATE TABLE paused_kinds (
            kind       TEXT PRIMARY KEY,
            paused_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
            paused_by  TEXT
        )
        """,
    ])

    static let createWorkers = SchemaMigration(version: 2, name: "create workers", statements: [
        """
        CREATE TABLE workers (
            id            TEXT PRIMARY KEY,
            host          TEXT NOT NULL,
            pid           INTEGER NOT NULL,
            version       TEXT NOT NULL,
            kinds         TEXT[] NOT NULL,
            concurrency   INTEGER NOT NULL,
            started_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
            last_seen_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
            stopped_at    TIMESTAMPTZ,
            current_jobs  BIGINT[] NOT NULL DEFAULT '{}',
            jobs_done     BIGINT NOT NULL DEFAULT 0,
            jobs_failed   BIGINT NOT NULL DEFAULT 0
        )
        """,
        "CREATE INDEX workers_last_seen ON workers (last_seen_at)",
    ])

    static let createOperations = SchemaMigration(version: 3, name: "queue_depth view, reorgs", statements: [
        // One view of queue depth for dashboards and KEDA's postgresql trigger. `oldest_age_seconds`:
        // for pending/retrying, how long the oldest ready job has waited past its run_after; for
        // running, how long the oldest attempt has run; 0 otherwise.
        """
        CREATE VIEW queue_depth AS
        SELECT kind, state, count(*)::bigint AS jobs,
               GREATEST(COALESCE(EXTRACT(EPOCH FROM now() - CASE
                   WHEN state IN ('pending', 'retrying') THEN min(run_after) FILTER (WHERE run_after <= now())
                   WHEN state = 'running' THEN min(started_at)
               END), 0), 0)::float8 AS oldest_age_seconds
        FROM jobs GROUP BY kind, state
        """,
        // Parent-hash mismatches between adjacent exported ranges; both ranges were sent back for re-export.
        """
        CREATE TABLE reorgs (
            id              BIGSERIAL PRIMARY KEY,
            detected_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
            boundary_block  BIGINT NOT NULL,
            earlier_job     BIGINT NOT NULL,
            later_job       BIGINT NOT NULL,
            expected_parent TEXT NOT NULL,
            found_parent    TEXT NOT NULL
        )
        """,
        "CREATE INDEX reorgs_detected ON reorgs (detected_at)",
        // Adjacent-range lookups of the reorg guard and follow mode's resume point.
        "CREATE INDEX jobs_export_ranges ON jobs (first_block) WHERE kind = 'export'",
    ])

    static let queueDepthPaused = SchemaMigration(version: 4, name: "queue_depth.paused", statements: [
        // `paused`: the kind is paused, so its pending jobs cannot be claimed. An autoscaler counts
        // them only while running (KEDA would otherwise add workers that find nothing to claim).
        """
        CREATE OR REPLACE VIEW queue_depth AS
        SELECT j.kind, j.state, count(*)::bigint AS jobs,
               GREATEST(COALESCE(EXTRACT(EPOCH FROM now() - CASE
                   WHEN j.state IN ('pending', 'retrying') THEN min(j.run_after) FILTER (WHERE j.run_after <= now())
                   WHEN j.state = 'running' THEN min(j.started_at)
               END), 0), 0)::float8 AS oldest_age_seconds,
               EXISTS (SELECT 1 FROM paused_kinds AS p WHERE p.kind = j.kind) AS paused
        FROM jobs AS j GROUP BY j.kind, j.state
        """,
    ])

    /// Decoded tables' counts for `coordinator status`: per (table, range) the latest rows and
    /// skips a model job reported, and per table their running sums, kept by each completion
    /// (a delta against the range's previous counts), so status reads a few rows instead of
    /// every model job's result, and pruning finished jobs loses nothing.
    static let decodedCounts = SchemaMigration(version: 5, name: "decoded table counts", statements: [
        """
        CREATE TABLE decoded_ranges (
            table_name  TEXT NOT NULL,
            first_block BIGINT NOT NULL,
            last_block  BIGINT NOT NULL,
            decoded     BIGINT NOT NULL,
            skipped     BIGINT NOT NULL,
            PRIMARY KEY (table_name, first_block, last_block)
        )
        """,
        """
        CREATE TABLE decoded_totals (
            table_name TEXT PRIMARY KEY,
            decoded    BIGINT NOT NULL,
            skipped    BIGINT NOT NULL,
            ranges     BIGINT NOT NULL
        )
        """,
    ])
}
