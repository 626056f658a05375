// Every statement the queue runs, in one place, each saying what it guarantees.

import PostgresNIO

/// The queue's SQL. Values are always bound (`\(value)` in a `PostgresQuery` is a parameter, never
/// text); the only identifiers are fixed. Every write about a held job matches `(id, lease_token)`
/// and `state = 'running'`, so a worker that lost its lease can change nothing.
enum QueueSQL {
    // MARK: Locks

    /// Advisory lock keys are derived from the schema name, so two fleets (or two test runs) in one
    /// database, each in its own schema, never block each other.
    static let lockForMigration: PostgresQuery =
        "SELECT pg_advisory_xact_lock(hashtext('blockfleet:migrate:' || current_schema()))"

    /// Serialises planners, so two concurrent plans of one span compute coverage one after the other.
    static let lockForPlanning: PostgresQuery =
        "SELECT pg_advisory_xact_lock(hashtext('blockfleet:plan:' || current_schema()))"

    /// Leadership of the coordinator replicas: a session lock held on one connection for as long as
    /// the leader lives. A crashed leader's connection closes and the server frees the lock.
    static let tryLeadership: PostgresQuery =
        "SELECT pg_try_advisory_lock(hashtext('blockfleet:leader:' || current_schema()))"
    static let releaseLeadership: PostgresQuery =
        "SELECT pg_advisory_unlock(hashtext('blockfleet:leader:' || current_schema()))"

    // MARK: Migrations

    static let createMigrationsTable: PostgresQuery = """
        CREATE TABLE IF NOT EXISTS blockfleet_migrations (
            version    INTEGER PRIMARY KEY,
            name       TEXT NOT NULL,
            applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
        )
        """
    static let appliedMigrations: PostgresQuery = "SELECT version FROM blockfleet_migrations ORDER BY version"
    static let migrationsTableExists: PostgresQuery = "SELECT to_regclass('blockfleet_migrations') IS NOT NULL"
    static let currentMigration: PostgresQuery = "SELECT max(version) FROM blockfleet_migrations"
    static func recordMigration(version: Int, name: String) -> PostgresQuery {
        "INSERT INTO blockfleet_migrations (version, name) VALUES (\(version), \(name))"
    }

    // MARK: Claim, heartbeat, complete, fail, release

    /// Claims up to `limit` ready jobs of `kinds` in (priority, first_block) order, in one statement.
    /// `SKIP LOCKED` lets concurrent claimers pass each other's rows instead of waiting; Postgres
    /// re-checks the WHERE clause on each locked row, so a row another claimer just took is dropped.
    /// Every claim increments `lease_token`: the fencing token of this holder.
    static func claim(kinds: [String], limit: Int, owner: String, leaseSeconds: Double) -> PostgresQuery {
        """
        WITH ready AS (
            SELECT id FROM jobs
            WHERE state IN ('pending', 'retrying')
              AND run_after <= now()
              AND kind = ANY(\(kinds)::text[])
              AND kind NOT IN (SELECT kind FROM paused_kinds)
            ORDER BY priority, first_block, id
            LIMIT \(limit)
            FOR UPDATE SKIP LOCKED
        )
        UPDATE jobs SET
            state = 'running',
            attempts = jobs.attempts + 1,
            lease_owner = \(owner),
            lease_token = jobs.lease_token + 1,
            lease_expires_at = now() + make_interval(secs => \(leaseSeconds)),
            started_at = now(),
            updated_at = now()
        FROM ready
        WHERE jobs.id = ready.id
        RETURNING jobs.id, jobs.kind, jobs.first_block, jobs.last_block, jobs.entities, jobs.payload::text,
                  jobs.attempts, jobs.max_attempts, jobs.lease_token, jobs.priority
        """
    }

    /// Extends the leases still held, all in one round trip; returns the leases (id, token) extended.
    /// A held job missing from the answer was reaped, cancelled or taken over: its worker must stop it.
    static func heartbeat(ids: [Int64], tokens: [Int64], leaseSeconds: Double) -> PostgresQuery {
        """
        UPDATE jobs SET lease_expires_at = now() + make_interval(secs => \(leaseSeconds)), updated_at = now()
        FROM unnest(\(ids)::bigint[], \(tokens)::bigint[]) AS held(id, token)
        WHERE jobs.id = held.id AND jobs.lease_token = held.token AND jobs.state = 'running'
        RETURNING jobs.id, jobs.lease_token
        """
    }

    /// Marks many held jobs succeeded in one round trip (River's batched completion); returns the ids
    /// that were still held. An empty result text stores no result.
    static func complete(ids: [Int64], tokens: [Int64], results: [String]) -> PostgresQuery {
        """
        UPDATE jobs SET
            state = 'succeeded',
            result = NULLIF(done.result, '')::jsonb,
            last_error = NULL,
            lease_expires_at = NULL,
            finished_at = now(),
            updated_at = now()
        FROM unnest(\(ids)::bigint[], \(tokens)::bigint[], \(results)::text[]) AS done(id, token, result)
        WHERE jobs.id = done.id AND jobs.lease_token = done.token AND jobs.state = 'running'
        RETURNING jobs.id
        """
    }

    /// Records a failed attempt: `dead` when the error is permanent or attempts are used up, else
    /// `retrying` with `run_after` pushed out by the backoff. Returns the new state, or no row when
    /// the lease was lost.
    static func fail(id: Int64, token: Int64, permanent: Bool, backoffSeconds: Double, error: String) -> PostgresQuery {
        """
        UPDATE jobs SET
            state = CASE WHEN \(permanent) OR attempts >= max_attempts THEN 'dead' ELSE 'retrying' END,
            run_after = CASE WHEN \(permanent) OR attempts >= max_attempts THEN run_after
                             ELSE now() + make_interval(secs => \(backoffSeconds)) END,
            finished_at = CASE WHEN \(permanent) OR attempts >= max_attempts THEN now() END,
            last_error = \(error),
            lease_expires_at = NULL,
            updated_at = now()
        WHERE id = \(id) AND lease_token = \(token) AND state = 'running'
        RETURNING state
        """
    }

    /// The seconds left on a lease that is still held (running under this token, not expired);
    /// no row when it is gone. Fences writes outside the queue (the lake): one starts only while
    /// its attempt holds the job, and must end within the time this returns.
    static func leaseRemaining(id: Int64, token: Int64) -> PostgresQuery {
        """
        SELECT EXTRACT(EPOCH FROM lease_expires_at - now())::float8 FROM jobs
        WHERE id = \(id) AND lease_token = \(token) AND state = 'running' AND lease_expires_at > now()
        """
    }

    /// Puts held jobs back to `pending` for later (`JobDeferral`): `run_after` pushed out by each
    /// job's seconds, the attempt given back, the result kept, the reason in `last_error`. Guarded
    /// like a completion; returns the ids that were still held.
    static func deferJobs(ids: [Int64], tokens: [Int64], results: [String], seconds: [Double], reasons: [String]) -> PostgresQuery {
        """
        UPDATE jobs SET
            state = 'pending',
            attempts = GREATEST(jobs.attempts - 1, 0),
            run_after = now() + make_interval(secs => later.seconds),
            result = NULLIF(later.result, '')::jsonb,
            last_error = later.reason,
            lease_expires_at = NULL,
            updated_at = now()
        FROM unnest(\(ids)::bigint[], \(tokens)::bigint[], \(results)::text[], \(seconds)::float8[], \(reasons)::text[])
             AS later(id, token, result, seconds, reason)
        WHERE jobs.id = later.id AND jobs.lease_token = later.token AND jobs.state = 'running'
        RETURNING jobs.id
        """
    }

    /// True when the job succeeded under this lease token (tokens grow at every claim).
    static func completedBy(id: Int64, token: Int64) -> PostgresQuery {
        "SELECT state = 'succeeded' AND lease_token = \(token) FROM jobs WHERE id = \(id)"
    }

    /// Gives a held job back without counting the attempt (graceful shutdown): claimable at once.
    static func release(ids: [Int64], tokens: [Int64], reason: String) -> PostgresQuery {
        """
        UPDATE jobs SET
            state = 'pending',
            attempts = GREATEST(jobs.attempts - 1, 0),
            run_after = now(),
            lease_expires_at = NULL,
            last_error = \(reason),
            updated_at = now()
        FROM unnest(\(ids)::bigint[], \(tokens)::bigint[]) AS held(id, token)
        WHERE jobs.id = held.id AND jobs.lease_token = held.token AND jobs.state = 'running'
        RETURNING jobs.id
        """
    }

    // MARK: Enqueue

    /// Inserts jobs. Where a job with the same coverage `(kind, first_block, last_block, entities)`
    /// exists, `skip` leaves it be (planning is idempotent); `requeue` resets it to `pending` with
    /// the new payload and a fresh attempt count, because a re-exported range must be loaded again,
    /// and bumps its lease token so a loader still running the old payload is fenced off.
    /// Returns the ids inserted or requeued.
    static func insert(
        kinds: [String], firstBlocks: [Int64], lastBlocks: [Int64], entities: [String],
        payloads: [String], priorities: [Int], maxAttempts: [Int], onConflict: NewJob.ConflictPolicy
    ) -> PostgresQuery {
        let conflict: String
        switch onConflict {
        case .skip:
            conflict = "DO NOTHING"
        case .requeue:
            conflict = requeueOnConflict
        }
        return """
        INSERT INTO jobs (kind, first_block, last_block, entities, payload, priority, max_attempts)
        SELECT k, f, l, e, p::jsonb, pr, ma
        FROM unnest(\(kinds)::text[], \(firstBlocks)::bigint[], \(lastBlocks)::bigint[], \(entities)::text[],
                    \(payloads)::text[], \(priorities)::bigint[], \(maxAttempts)::bigint[]) AS j(k, f, l, e, p, pr, ma)
        ON CONFLICT (kind, first_block, last_block, entities) \(unescaped: conflict)
        RETURNING id
        """
    }

    /// What re-inserting an existing job does under the `requeue` policy.
    static let requeueOnConflict = """
        DO UPDATE SET
            payload = EXCLUDED.payload, state = 'pending', attempts = 0, max_attempts = EXCLUDED.max_attempts,
            run_after = now(), lease_owner = NULL, lease_token = jobs.lease_token + 1, lease_expires_at = NULL,
            last_error = NULL, result = NULL, finished_at = NULL, updated_at = now()
        """

    /// Serialises the completions of one range's siblings (see `enqueueIfRangeDone`).
    static func lockRange(kind: String, first: Int64, last: Int64) -> PostgresQuery {
        """
        SELECT pg_advisory_xact_lock(hashtextextended(
            'blockfleet:range:' || current_schema() || ':' || \(kind) || ':' || \(first)::text || '-' || \(last)::text, 0))
        """
    }

    /// The first planned block: where decoded tables' high-water marks start (`ModelRequest.origin`).
    static let firstPlannedBlock = "SELECT min(o.first_block) FROM jobs AS o WHERE o.kind = 'export' AND o.state <> 'cancelled'"

    /// Inserts (or requeues) the follow-up when no job of kind `after` with exactly this range is
    /// unfinished. Its payload lists the siblings' entities: `{"entities": [...]}`.
    static func enqueueIfRangeDone(_ followUp: RangeFollowUp) -> PostgresQuery {
        """
        INSERT INTO jobs (kind, first_block, last_block, entities, payload, priority, max_attempts)
        SELECT \(followUp.kind.rawValue), \(followUp.firstBlock), \(followUp.lastBlock), '',
               jsonb_build_object('entities', to_jsonb(array_agg(DISTINCT entity ORDER BY entity)), 'origin', (\(unescaped: firstPlannedBlock))),
               \(followUp.priority), \(followUp.maxAttempts)
        FROM jobs, unnest(string_to_array(jobs.entities, ',')) AS entity
        WHERE jobs.kind = \(followUp.after.rawValue) AND jobs.first_block = \(followUp.firstBlock) AND jobs.last_block = \(followUp.lastBlock)
        HAVING bool_and(jobs.state = 'succeeded')
        ON CONFLICT (kind, first_block, last_block, entities) \(unescaped: requeueOnConflict)
        RETURNING id
        """
    }

    /// Model jobs for `coordinator models backfill`: one per range whose export succeeded and
    /// whose loads all succeeded (or were pruned), forcing `models` to run again.
    /// With `keepingWaiting`, a range whose model job is already pending or retrying keeps it as it
    /// is (it runs anyway); only finished or running ones are requeued.
    static func backfillModels(first: Int64, last: Int64, force: [String], priority: Int, maxAttempts: Int, keepingWaiting: Bool = false) -> PostgresQuery {
        """
        INSERT INTO jobs (kind, first_block, last_block, entities, payload, priority, max_attempts)
        SELECT 'model', e.first_block, e.last_block, '',
               jsonb_build_object('entities', to_jsonb(array_agg(DISTINCT entity ORDER BY entity)), 'force', to_jsonb(\(force)::text[]),
                                  'origin', (\(unescaped: firstPlannedBlock))),
               \(priority), \(maxAttempts)
        FROM jobs AS e, unnest(string_to_array(e.entities, ',')) AS entity
        WHERE e.kind = 'export' AND e.state = 'succeeded' AND e.last_block >= \(first) AND e.first_block <= \(last)
          AND NOT EXISTS (
              SELECT 1 FROM jobs AS l
              WHERE l.kind = 'load' AND l.first_block = e.first_block AND l.last_block = e.last_block AND l.state <> 'succeeded')
        GROUP BY e.first_block, e.last_block
        ON CONFLICT (kind, first_block, last_block, entities) \(unescaped: requeueOnConflict)\(unescaped: keepingWaiting ? "\n        WHERE jobs.state NOT IN ('pending', 'retrying')" : "")
        RETURNING id
        """
    }

    /// Ranges already planned for one (kind, entities) that touch `[first, last]`, whatever their state.
    static func coveredRanges(kind: String, entities: String, first: Int64, last: Int64) -> PostgresQuery {
        """
        SELECT first_block, last_block FROM jobs
        WHERE kind = \(kind) AND entities = \(entities) AND last_block >= \(first) AND first_block <= \(last)
        ORDER BY first_block
        """
    }

    /// Wakes idle workers; delivered when the surrounding transaction commits.
    static func notify(channel: String, kind: String) -> PostgresQuery {
        "SELECT pg_notify(\(channel), \(kind))"
    }

    // MARK: Coordinator upkeep

    /// Returns expired leases to `pending` (claimable at once: a crashed worker is not the job's
    /// fault) or to `dead` when the claim that expired was the last attempt. Rows another reaper is
    /// handling are skipped.
    static func reapExpired(limit: Int) -> PostgresQuery {
        """
        WITH expired AS (
            SELECT id FROM jobs
            WHERE state = 'running' AND lease_expires_at < now()
            ORDER BY lease_expires_at
            LIMIT \(limit)
            FOR UPDATE SKIP LOCKED
        )
        UPDATE jobs SET
            state = CASE WHEN jobs.attempts >= jobs.max_attempts THEN 'dead' ELSE 'pending' END,
            run_after = now(),
            finished_at = CASE WHEN jobs.attempts >= jobs.max_attempts THEN now() END,
            last_error = 'lease expired: worker ' || COALESCE(jobs.lease_owner, '?') || ' stopped heartbeating',
            lease_expires_at = NULL,
            updated_at = now()
        FROM expired
        WHERE jobs.id = expired.id
        RETURNING jobs.id, jobs.kind, jobs.state, COALESCE(jobs.lease_owner, '')
        """
    }

    /// Deletes finished jobs older than the retention. Export jobs are kept: they are the record of
    /// what was planned and exported, which planning, `gaps` and follow mode read.
    static func prune(olderThanSeconds: Double, limit: Int) -> PostgresQuery {
        """
        WITH deleted AS (
            DELETE FROM jobs WHERE id IN (
                SELECT id FROM jobs
                WHERE state IN ('succeeded', 'cancelled') AND kind <> 'export'
                  AND finished_at < now() - make_interval(secs => \(olderThanSeconds))
                LIMIT \(limit)
            )
            RETURNING 1
        )
        SELECT count(*)::bigint FROM deleted
        """
    }

    // MARK: Admin

    /// Dead, cancelled or backing-off jobs back to `pending` with fresh attempts.
    static func retry(ids: [Int64], allDead: Bool) -> PostgresQuery {
        """
        UPDATE jobs SET state = 'pending', attempts = 0, run_after = now(), finished_at = NULL, updated_at = now()
        WHERE (id = ANY(\(ids)::bigint[]) AND state IN ('dead', 'cancelled', 'retrying'))
           OR (\(allDead) AND state = 'dead')
        RETURNING id, kind
        """
    }

    /// Cancels jobs that have not succeeded. A running job's worker finds out at its next heartbeat.
    static func cancel(ids: [Int64]) -> PostgresQuery {
        """
        UPDATE jobs SET state = 'cancelled', lease_expires_at = NULL, finished_at = now(), updated_at = now()
        WHERE id = ANY(\(ids)::bigint[]) AND state IN ('pending', 'retrying', 'running', 'dead')
        RETURNING id
        """
    }

    static func pause(kind: String, by who: String) -> PostgresQuery {
        "INSERT INTO paused_kinds (kind, paused_by) VALUES (\(kind), \(who)) ON CONFLICT (kind) DO NOTHING"
    }

    static func resume(kind: String) -> PostgresQuery {
        "DELETE FROM paused_kinds WHERE kind = \(kind)"
    }

    static let pausedKinds: PostgresQuery = "SELECT kind FROM paused_kinds ORDER BY kind"

    /// Counts per (kind, state), with the age of the oldest job ready to run.
    static let depth: PostgresQuery = """
        SELECT kind, state, count(*)::bigint,
               COALESCE(EXTRACT(EPOCH FROM now() - min(run_after) FILTER (
                   WHERE state IN ('pending', 'retrying') AND run_after <= now())), 0)::float8
        FROM jobs GROUP BY kind, state ORDER BY kind, state
        """

    /// Per decoded table: rows and skips summed over every range decoded, and the ranges.
    static let decodedCounts: PostgresQuery = """
        SELECT table_name, decoded, skipped, ranges FROM decoded_totals
        """

    /// Replaces a range's counts per table and moves each table's sums by the difference, in one
    /// statement (every part reads the state before it). A range is completed by one model job
    /// at a time (its row is unique and fenced), so no other writer touches its rows meanwhile;
    /// the sums' rows are taken in table order.
    static func recordDecodedCounts(first: Int64, last: Int64, tables: [String], decoded: [Int64], skipped: [Int64]) -> PostgresQuery {
        """
        WITH incoming AS (
            SELECT * FROM unnest(\(tables)::text[], \(decoded)::bigint[], \(skipped)::bigint[]) AS i(table_name, decoded, skipped)
        ), previous AS (
            SELECT r.table_name, r.decoded, r.skipped FROM decoded_ranges AS r
            WHERE r.first_block = \(first) AND r.last_block = \(last) AND r.table_name IN (SELECT table_name FROM incoming)
        ), replaced AS (
            INSERT INTO decoded_ranges (table_name, first_block, last_block, decoded, skipped)
            SELECT table_name, \(first), \(last), decoded, skipped FROM incoming
            ON CONFLICT (table_name, first_block, last_block) DO UPDATE SET decoded = EXCLUDED.decoded, skipped = EXCLUDED.skipped
        )
        INSERT INTO decoded_totals (table_name, decoded, skipped, ranges)
        SELECT i.table_name, i.decoded - COALESCE(p.decoded, 0), i.skipped - COALESCE(p.skipped, 0), CASE WHEN p.table_name IS NULL THEN 1 ELSE 0 END
        FROM incoming AS i LEFT JOIN previous AS p ON p.table_name = i.table_name
        ORDER BY i.table_name
        ON CONFLICT (table_name) DO UPDATE SET
            decoded = decoded_totals.decoded + EXCLUDED.decoded, skipped = decoded_totals.skipped + EXCLUDED.skipped,
            ranges = decoded_totals.ranges + EXCLUDED.ranges
        """
    }

    /// Per decoded table waiting on a dependency: the unfinished model jobs whose last result
    /// says so, the first such range, and its reason.
    static let decodedWaiting: PostgresQuery = """
        SELECT w.key, count(*)::bigint, min(j.first_block), (array_agg(w.value ORDER BY j.first_block))[1]
        FROM jobs AS j, jsonb_each_text(j.result->'decoded'->'waiting') AS w
        WHERE j.kind = 'model' AND j.state IN ('pending', 'retrying', 'running') AND jsonb_typeof(j.result->'decoded'->'waiting') = 'object'
        GROUP BY w.key
        """

    /// The planned export span and how many of its blocks are exported.
    static let exportProgress: PostgresQuery = """
        SELECT COALESCE(min(first_block), 0), COALESCE(max(last_block), -1),
               COALESCE(sum(last_block - first_block + 1) FILTER (WHERE state = 'succeeded'), 0)::bigint,
               COALESCE(sum(last_block - first_block + 1) FILTER (WHERE state <> 'cancelled'), 0)::bigint
        FROM jobs WHERE kind = 'export'
        """

    /// Blocks of succeeded export ranges that are loaded (no load job of the range unfinished) and
    /// modelled (its model job succeeded, or the range's load and model jobs were pruned).
    static let loadAndModelProgress: PostgresQuery = """
        WITH spans AS (SELECT DISTINCT first_block, last_block FROM jobs WHERE kind = 'export' AND state = 'succeeded')
        SELECT
            COALESCE(sum(s.last_block - s.first_block + 1) FILTER (WHERE NOT EXISTS (
                SELECT 1 FROM jobs AS l WHERE l.kind = 'load' AND l.first_block = s.first_block AND l.last_block = s.last_block
                  AND l.state <> 'succeeded')), 0)::bigint,
            COALESCE(sum(s.last_block - s.first_block + 1) FILTER (WHERE EXISTS (
                SELECT 1 FROM jobs AS m WHERE m.kind = 'model' AND m.first_block = s.first_block AND m.last_block = s.last_block
                  AND m.state = 'succeeded') OR NOT EXISTS (
                SELECT 1 FROM jobs AS x WHERE x.kind IN ('load', 'model') AND x.first_block = s.first_block AND x.last_block = s.last_block)), 0)::bigint
        FROM spans AS s
        """

    static func list(state: String?, kind: String?, block: Int64?, worker: String?, limit: Int) -> PostgresQuery {
        """
        SELECT id, kind, state, first_block, last_block, entities, priority, attempts, max_attempts,
               lease_owner, lease_expires_at, run_after, last_error, created_at, updated_at
        FROM jobs
        WHERE (\(state)::text IS NULL OR state = \(state))
          AND (\(kind)::text IS NULL OR kind = \(kind))
          AND (\(block)::bigint IS NULL OR \(block) BETWEEN first_block AND last_block)
          AND (\(worker)::text IS NULL OR lease_owner = \(worker))
        ORDER BY priority, first_block, id
        LIMIT \(limit)
        """
    }

    // MARK: Workers

    static func registerWorker(id: String, host: String, pid: Int, version: String, kinds: [String], concurrency: Int) -> PostgresQuery {
        """
        INSERT INTO workers (id, host, pid, version, kinds, concurrency)
        VALUES (\(id), \(host), \(pid), \(version), \(kinds)::text[], \(concurrency))
        ON CONFLICT (id) DO UPDATE SET host = EXCLUDED.host, pid = EXCLUDED.pid, version = EXCLUDED.version,
            kinds = EXCLUDED.kinds, concurrency = EXCLUDED.concurrency, started_at = now(),
            last_seen_at = now(), stopped_at = NULL, current_jobs = '{}'
        """
    }

    static func workerHeartbeat(id: String, currentJobs: [Int64], done: Int, failed: Int) -> PostgresQuery {
        """
        UPDATE workers SET last_seen_at = now(), current_jobs = \(currentJobs)::bigint[],
            jobs_done = jobs_done + \(done), jobs_failed = jobs_failed + \(failed)
        WHERE id = \(id)
        """
    }

    static func stopWorker(id: String) -> PostgresQuery {
        "UPDATE workers SET stopped_at = now(), last_seen_at = now(), current_jobs = '{}' WHERE id = \(id)"
    }

    static let listWorkers: PostgresQuery = """
        SELECT id, host, pid, version, array_to_string(kinds, ','), concurrency, started_at, last_seen_at,
               stopped_at, current_jobs, jobs_done, jobs_failed, EXTRACT(EPOCH FROM now() - last_seen_at)::float8
        FROM workers ORDER BY stopped_at IS NOT NULL, id
        """

    /// Forgets workers that stopped or went silent longer ago than the retention.
    static func pruneWorkers(olderThanSeconds: Double) -> PostgresQuery {
        "DELETE FROM workers WHERE last_seen_at < now() - make_interval(secs => \(olderThanSeconds))"
    }

    // MARK: Operations: rates, gaps, requeue, follow mode, reorg guard

    /// Export throughput over the last `seconds`: jobs and blocks finished, from finish times; the
    /// seconds since the earliest of those jobs started (so a run younger than the window is timed
    /// by its own age); and the seconds since any export last finished (nil: none ever did).
    static func exportRate(seconds: Double) -> PostgresQuery {
        """
        SELECT count(*)::bigint, COALESCE(sum(last_block - first_block + 1), 0)::bigint,
               EXTRACT(EPOCH FROM now() - min(started_at))::float8,
               (SELECT EXTRACT(EPOCH FROM now() - max(finished_at))::float8 FROM jobs
                WHERE kind = 'export' AND state = 'succeeded')
        FROM jobs
        WHERE kind = 'export' AND state = 'succeeded' AND finished_at >= now() - make_interval(secs => \(seconds))
        """
    }

    /// Workers that have not stopped and were seen within `seconds` (as `QueueMetrics` counts `live`).
    static func liveWorkerCount(seenWithinSeconds seconds: Double) -> PostgresQuery {
        """
        SELECT count(*)::bigint FROM workers
        WHERE stopped_at IS NULL AND last_seen_at >= now() - make_interval(secs => \(seconds))
        """
    }

    /// Highest block below which every planned export succeeded (contiguous from the span's start).
    static let lastContiguousExport: PostgresQuery = """
        SELECT COALESCE(
            (SELECT min(first_block) FROM jobs WHERE kind = 'export' AND state NOT IN ('succeeded', 'cancelled')) - 1,
            (SELECT max(last_block) FROM jobs WHERE kind = 'export' AND state = 'succeeded'),
            -1)::bigint
        """

    /// Spans of `[first, last]` not covered by a succeeded export job (cancelled, dead, pending or
    /// never planned). A running maximum of the covered ends finds each hole in one ordered pass.
    static func exportGaps(first: Int64, last: Int64) -> PostgresQuery {
        """
        WITH done AS (
            SELECT first_block, last_block FROM jobs
            WHERE kind = 'export' AND state = 'succeeded' AND last_block >= \(first) AND first_block <= \(last)
        ), ordered AS (
            SELECT first_block, max(last_block) OVER (ORDER BY first_block, last_block
                   ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS covered_to
            FROM done
        )
        SELECT GREATEST(COALESCE(covered_to + 1, \(first)), \(first)) AS gap_first, first_block - 1 AS gap_last
        FROM ordered WHERE first_block > GREATEST(COALESCE(covered_to + 1, \(first)), \(first))
        UNION ALL
        SELECT GREATEST(COALESCE(max(last_block) + 1, \(first)), \(first)), \(last) FROM done
        HAVING COALESCE(max(last_block), \(first) - 1) < \(last)
        ORDER BY 1
        """
    }

    /// Load jobs in `[first, last]` that have not succeeded, per entity: exported ranges not (yet) in the warehouse.
    static func loadGaps(first: Int64, last: Int64) -> PostgresQuery {
        """
        SELECT entities, first_block, last_block, state FROM jobs
        WHERE kind = 'load' AND state <> 'succeeded' AND last_block >= \(first) AND first_block <= \(last)
        ORDER BY entities, first_block
        """
    }

    /// The planned export span's ends, for `gaps` without --from/--to.
    static let exportSpan: PostgresQuery = "SELECT min(first_block), max(last_block) FROM jobs WHERE kind = 'export'"

    /// Forces re-export of every export job touching `[first, last]`, whatever its state. The lease
    /// token is bumped, so a worker still running one of them is fenced off.
    static func requeueExports(first: Int64, last: Int64, reason: String) -> PostgresQuery {
        """
        UPDATE jobs SET
            state = 'pending', attempts = 0, run_after = now(), lease_owner = NULL, lease_token = lease_token + 1,
            lease_expires_at = NULL, last_error = \(reason), result = NULL, finished_at = NULL, updated_at = now()
        WHERE kind = 'export' AND last_block >= \(first) AND first_block <= \(last)
        RETURNING id
        """
    }

    /// Where follow mode resumes: the highest block planned for an entity set (export jobs are never pruned).
    static func highestPlanned(entities: String) -> PostgresQuery {
        "SELECT max(last_block) FROM jobs WHERE kind = 'export' AND entities = \(entities)"
    }

    /// Adjacent succeeded export ranges of the same entity set whose edge hashes disagree: the later
    /// range's first parent hash is not the earlier range's last hash. Only pairs where either job
    /// finished since `sinceSeconds` ago are compared, so each tick reads only recent work.
    static func reorgMismatches(sinceSeconds: Double) -> PostgresQuery {
        """
        SELECT a.id, b.id, b.first_block, a.result->>'last_hash', b.result->>'first_parent_hash'
        FROM jobs b
        JOIN jobs a ON a.kind = 'export' AND a.state = 'succeeded' AND a.entities = b.entities
                   AND a.last_block = b.first_block - 1
        WHERE b.kind = 'export' AND b.state = 'succeeded'
          AND (a.finished_at >= now() - make_interval(secs => \(sinceSeconds))
               OR b.finished_at >= now() - make_interval(secs => \(sinceSeconds)))
          AND a.result ? 'last_hash' AND b.result ? 'first_parent_hash'
          AND a.result->>'last_hash' <> b.result->>'first_parent_hash'
        ORDER BY b.first_block
        LIMIT 1000
        """
    }

    static func recordReorg(boundary: Int64, earlier: Int64, later: Int64, expected: String, found: String) -> PostgresQuery {
        """
        INSERT INTO reorgs (boundary_block, earlier_job, later_job, expected_parent, found_parent)
        VALUES (\(boundary), \(earlier), \(later), \(expected), \(found))
        """
    }

    /// Sends succeeded export jobs back for re-export after a parent-hash mismatch (fenced like requeue).
    static func flagForReexport(ids: [Int64], reason: String) -> PostgresQuery {
        """
        UPDATE jobs SET
            state = 'pending', attempts = 0, run_after = now(), lease_owner = NULL, lease_token = lease_token + 1,
            lease_expires_at = NULL, last_error = \(reason), result = NULL, finished_at = NULL, updated_at = now()
        WHERE id = ANY(\(ids)::bigint[]) AND kind = 'export' AND state = 'succeeded'
        RETURNING id
        """
    }

    static let reorgCount: PostgresQuery = "SELECT count(*)::bigint FROM reorgs"

    static func reorgsAt(boundary: Int64) -> PostgresQuery {
        "SELECT count(*)::bigint FROM reorgs WHERE boundary_block = \(boundary)"
    }

    /// Gives up on a range whose parent hash keeps disagreeing: dead with the reason, for an operator.
    static func giveUpOnRange(id: Int64, reason: String) -> PostgresQuery {
        """
        UPDATE jobs SET state = 'dead', last_error = \(reason), finished_at = now(), updated_at = now()
        WHERE id = \(id) AND kind = 'export' AND state = 'succeeded'
        """
    }

    static func recentReorgs(limit: Int) -> PostgresQuery {
        """
        SELECT id, detected_at, boundary_block, earlier_job, later_job, expected_parent, found_parent
        FROM reorgs ORDER BY id DESC LIMIT \(limit)
        """
    }

    /// Exported-range segments for the status page: consecutive export jobs in one state merged.
    static let exportSegments: PostgresQuery = """
        WITH e AS (
            SELECT first_block, last_block, CASE WHEN state = 'retrying' THEN 'pending' ELSE state END AS state
            FROM jobs WHERE kind = 'export'
        ), marked AS (
            SELECT *, CASE WHEN state = lag(state) OVER w AND first_block <= lag(last_block) OVER w + 1 THEN 0 ELSE 1 END AS starts
            FROM e WINDOW w AS (ORDER BY first_block, last_block)
        ), grouped AS (
            SELECT *, sum(starts) OVER (ORDER BY first_block, last_block) AS segment FROM marked
        )
        SELECT min(first_block), max(last_block), state FROM grouped GROUP BY segment, state ORDER BY 1
        """
}
