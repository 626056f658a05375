// A schema of its own per run, planning, the queue tables' health and one leader tick.

import Foundation
import Logging
import PostgresNIO
import Shared

enum SoakSchema {
    /// Runs `body` with a migrated schema of its own, dropped afterwards.
    static func with(_ base: DatabaseConfiguration, logger: Logger,
                     _ body: (String, DatabaseConfiguration) async throws -> Void) async throws {
        let schema = "soak_\(UInt32.random(in: 0...UInt32.max))"
        try await QueueDatabase.withClient(base, logger: logger) { admin in
            try await admin.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA \(schema)"), logger: logger)
        }
        var configuration = base
        configuration.schema = schema
        configuration.applicationName = "blockfleet-soak"
        do {
            try await QueueDatabase.withClient(configuration, logger: logger) { client in
                try await SchemaMigrator(client: client, logger: logger).migrate()
            }
            try await body(schema, configuration)
        } catch {
            try? await drop(schema, base, logger: logger)
            throw error
        }
        try await drop(schema, base, logger: logger)
    }

    static func drop(_ schema: String, _ base: DatabaseConfiguration, logger: Logger) async throws {
        try await QueueDatabase.withClient(base, logger: logger) { admin in
            try await admin.query(PostgresQuery(unsafeSQL: "DROP SCHEMA \(schema) CASCADE"), logger: logger)
        }
    }

    /// `count` no-op jobs of one block each, through the queue's own insert, in batches.
    static func plan(_ count: Int, into queue: JobQueue, from first: Int64 = 0) async throws {
        var next = first
        let end = first + Int64(count)
        while next < end {
            let batch = min(10_000, end - next)
            _ = try await queue.enqueue((next..<next + batch).map { NewJob(kind: .noop, firstBlock: $0, lastBlock: $0) })
            next += batch
        }
    }

    /// Size, live and dead rows and autovacuum runs of the queue's tables after a run.
    static func printTableHealth(_ client: PostgresClient, logger: Logger) async throws {
        let rows = try await client.query("""
            SELECT relname, pg_total_relation_size(relid)::bigint, n_live_tup::bigint, n_dead_tup::bigint,
                   autovacuum_count::bigint, COALESCE(EXTRACT(EPOCH FROM now() - last_autovacuum)::float8, -1)
            FROM pg_stat_user_tables
            WHERE schemaname = current_schema() AND relname IN ('jobs', 'workers')
            ORDER BY relname
            """, logger: logger)
        for try await (name, bytes, live, dead, vacuums, since) in rows.decode((String, Int64, Int64, Int64, Int64, Double).self) {
            let last = since < 0 ? "never" : String(format: "%.0f s ago", since)
            let share = live + dead > 0 ? Double(dead) * 100 / Double(live + dead) : 0
            print("table \(name): " + String(format: "%.1f MB, live %lld, dead %lld (%.1f %%), autovacuum runs %lld", Double(bytes) / 1e6, live, dead, share, vacuums)
                  + ", last \(last)")
        }
    }

    /// Marks every job finished over the last hour, as a backfill leaves the table before the
    /// pruner's retention; then vacuums, as autovacuum would have by then.
    static func finishAll(_ client: PostgresClient, logger: Logger) async throws {
        try await client.query("""
            UPDATE jobs SET state = 'succeeded', lease_owner = NULL, lease_expires_at = NULL,
                   finished_at = now() - random() * interval '1 hour'
            WHERE state <> 'succeeded'
            """, logger: logger)
        try await client.query("VACUUM ANALYZE jobs", logger: logger)
    }

    /// One leader tick's queries on the table as the soak left it (most jobs finished): reap,
    /// reorg guard, prune, and the status read-out.
    static func timeLeaderTick(_ queue: JobQueue) async throws {
        let finished = try await queue.depth().filter { $0.state == JobState.succeeded.rawValue }.reduce(0) { $0 + $1.count }
        var parts: [String] = []
        func time(_ name: String, _ body: () async throws -> Void) async throws {
            let start = ContinuousClock.now
            try await body()
            parts.append("\(name) " + String(format: "%.1f ms", (ContinuousClock.now - start).seconds * 1000))
        }
        try await time("reap") { _ = try await queue.reapExpiredLeases() }
        try await time("reorg guard") { _ = try await queue.checkReorgs(finishedWithin: .seconds(120)) }
        try await time("prune") { _ = try await queue.pruneFinished(olderThan: .seconds(7 * 86_400)) }
        try await time("status") { _ = try await StatusReport.load(from: queue) }
        print("leader tick with \(finished) finished jobs: " + parts.joined(separator: ", "))
    }
}
