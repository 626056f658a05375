// The Postgres job queue: claim, heartbeat, complete, fail and release with fencing tokens.

import Foundation
import Logging
import PostgresNIO

/// The queue on one Postgres database (and schema). A value type over a shared `PostgresClient`:
/// workers, the coordinator and tests each make one.
public struct JobQueue: Sendable {
    public let client: PostgresClient
    public let logger: Logger
    /// NOTIFY channel idle workers LISTEN on; per schema, so fleets sharing a database stay apart.
    public let channel: String
    /// Longest a worker's statement (claim, heartbeat, complete, fail, release) may wait for its
    /// answer before its connection is closed and `DatabaseError.timedOut` thrown. Default nil: no
    /// limit (one-shot commands); workers set one, so a black-holed connection cannot hold them.
    public var statementTimeout: Duration?

    public init(client: PostgresClient, schema: String? = nil, logger: Logger, statementTimeout: Duration? = nil) {
        self.client = client
        self.logger = logger
        self.channel = JobQueue.channel(schema: schema)
        self.statementTimeout = statementTimeout
    }

    /// This queue with another statement timeout.
    public func with(statementTimeout: Duration?) -> JobQueue {
        var copy = self
        copy.statementTimeout = statementTimeout
        return copy
    }

    /// Runs one statement's work on a connection, bounded by `statementTimeout`.
    func bounded<Result: Sendable>(_ operation: String, _ body: @escaping @Sendable (PostgresConnection) async throws -> Result) async throws -> Result {
        try await client.withConnection(deadline: statementTimeout, operation, body)
    }

    /// A transaction bounded by `statementTimeout`.
    func boundedTransaction<Result: Sendable>(_ operation: String, _ body: @escaping @Sendable (PostgresConnection) async throws -> Result) async throws -> Result {
        guard statementTimeout != nil else { return try await client.inTransaction(logger: logger) { try await body($0) } }
        return try await client.inTransaction(deadline: statementTimeout, operation, logger: logger, body)
    }

    public static func channel(schema: String?) -> String {
        schema.map { "blockfleet_jobs_\($0)" } ?? "blockfleet_jobs"
    }

    // MARK: Claim

    /// Claims up to `limit` ready jobs of `kinds` for `owner`, leased for `lease`, in (priority, first_block) order.
    public func claim(kinds: [JobKind], limit: Int, owner: String, lease: Duration) async throws -> [ClaimedJob] {
        guard limit > 0, !kinds.isEmpty else { return [] }
        let query = QueueSQL.claim(kinds: kinds.map(\.rawValue), limit: limit, owner: owner, leaseSeconds: lease.seconds)
        let jobs = try await bounded("claiming jobs") { [logger] connection in
            var jobs: [ClaimedJob] = []
            for try await (id, kind, first, last, entities, payload, attempts, maxAttempts, token, priority) in try await connection.checkedQuery(query, logger: logger).decode(
                (Int64, String, Int64, Int64, String, String, Int, Int, Int64, Int).self
            ) {
                jobs.append(ClaimedJob(
                    id: id, kind: JobKind(rawValue: kind), firstBlock: first, lastBlock: last, entities: entities,
                    payload: payload, attempt: attempts, maxAttempts: maxAttempts, leaseToken: token, priority: priority
                ))
            }
            return jobs
        }
        // RETURNING does not keep the CTE's order.
        return jobs.sorted { ($0.priority, $0.firstBlock, $0.id) < ($1.priority, $1.firstBlock, $1.id) }
    }

    // MARK: Heartbeat

    /// Extends the given leases; returns the ones that are no longer held (their jobs must stop).
    public func heartbeat(_ leases: [JobLease], lease: Duration) async throws -> Set<JobLease> {
        guard !leases.isEmpty else { return [] }
        let query = QueueSQL.heartbeat(ids: leases.map(\.id), tokens: leases.map(\.token), leaseSeconds: lease.seconds)
        let extended = try await bounded("the lease heartbeat") { [logger] connection in
            var extended = Set<JobLease>()
            for try await (id, token) in try await connection.checkedQuery(query, logger: logger).decode((Int64, Int64).self) {
                extended.insert(JobLease(id: id, token: token))
            }
            return extended
        }
        return Set(leases.filter { !extended.contains($0) })
    }

    // MARK: Complete

    /// Completes one held job and inserts its follow-ups in the same transaction (the outbox), so a
    /// follow-up exists if and only if its job succeeded. Throws `leaseLost` when the lease is gone,
    /// in which case nothing is written.
    public func complete(_ completion: JobCompletion) async throws {
        let accepted = try await complete([completion])
        guard accepted.contains(completion.lease.id) else {
            throw QueueError(.leaseLost, "\(completion.lease) is no longer held; its result was discarded")
        }
    }

    /// Completes many held jobs in one round trip (one transaction when any has follow-ups).
    /// Returns the ids accepted; the others had lost their lease and their follow-ups were not inserted.
    @discardableResult
    public func complete(_ completions: [JobCompletion]) async throws -> Set<Int64> {
        guard !completions.isEmpty else { return [] }
        let finished = completions.filter { $0.deferral == nil }
        let deferred = completions.filter { $0.deferral != nil }
        let query = QueueSQL.complete(
            ids: finished.map(\.lease.id),
            tokens: finished.map(\.lease.token),
            results: finished.map { $0.result ?? "" }
        )
        let deferQuery = QueueSQL.deferJobs(
            ids: deferred.map(\.lease.id), tokens: deferred.map(\.lease.token), results: deferred.map { $0.result ?? "" },
            seconds: deferred.map { $0.deferral?.seconds ?? 0 }, reasons: deferred.map { String(($0.deferral?.reason ?? "").prefix(8000)) }
        )
        if deferred.isEmpty && completions.allSatisfy({ $0.followUps.isEmpty && $0.whenRangeDone == nil && $0.modelBackfill == nil && $0.decodedCounts == nil }) {
            return try await bounded("completing jobs") { [logger] connection in
                var accepted = Set<Int64>()
                for try await id in try await connection.checkedQuery(query, logger: logger).decode(Int64.self) { accepted.insert(id) }
                return accepted
            }
        }
        return try await boundedTransaction("completing jobs") { [logger, channel] connection in
            var accepted = Set<Int64>()
            if !finished.isEmpty {
                for try await id in try await connection.checkedQuery(query, logger: logger).decode(Int64.self) { accepted.insert(id) }
            }
            if !deferred.isEmpty {
                for try await id in try await connection.checkedQuery(deferQuery, logger: logger).decode(Int64.self) { accepted.insert(id) }
            }
            let held = completions.filter { accepted.contains($0.lease.id) }
            try await JobQueue.insert(held.flatMap(\.followUps), on: connection, channel: channel, logger: logger)
            // Ranges in one order, so two batches moving the same per-table sums cannot deadlock.
            for counts in held.compactMap(\.decodedCounts).sorted(by: { ($0.firstBlock, $0.lastBlock) < ($1.firstBlock, $1.lastBlock) }) where !counts.tables.isEmpty {
                let names = counts.tables.keys.sorted()
                try await connection.checkedQuery(QueueSQL.recordDecodedCounts(
                    first: counts.firstBlock, last: counts.lastBlock, tables: names,
                    decoded: names.map { counts.tables[$0]!.decoded }, skipped: names.map { counts.tables[$0]!.skipped }), logger: logger)
            }
            for backfill in held.compactMap(\.modelBackfill) {
                let rows = try await connection.checkedQuery(
                    QueueSQL.backfillModels(first: backfill.fromBlock, last: Int64.max, force: backfill.force, priority: 100, maxAttempts: 5, keepingWaiting: true), logger: logger)
                var any = false
                for try await _ in rows.decode(Int64.self) { any = true }
                if any { try await connection.checkedQuery(QueueSQL.notify(channel: channel, kind: JobKind.model.rawValue), logger: logger) }
            }
            // Ranges in one order, so two batches locking the same ranges cannot deadlock.
            let rangeFollowUps = held.compactMap(\.whenRangeDone)
                .sorted { ($0.firstBlock, $0.lastBlock, $0.kind.rawValue) < ($1.firstBlock, $1.lastBlock, $1.kind.rawValue) }
            for followUp in rangeFollowUps {
                try await JobQueue.enqueueIfRangeDone(followUp, on: connection, channel: channel, logger: logger)
            }
            return accepted
        }
    }

    /// Whether `lease` completed the job: it succeeded and no later claim took it. Tells a completion
    /// whose answer was lost (connection cut after COMMIT) from one whose lease was really gone.
    public func wasCompleted(by lease: JobLease) async throws -> Bool {
        let query = QueueSQL.completedBy(id: lease.id, token: lease.token)
        return try await bounded("reading a completion") { [logger] connection in
            for try await done in try await connection.checkedQuery(query, logger: logger).decode(Bool.self) { return done }
            return false
        }
    }

    // MARK: Fail

    /// Records a failed attempt; the error's classification decides between backoff and dead.
    /// Returns the job's new state (`retrying` or `dead`); throws `leaseLost` when not held.
    @discardableResult
    public func fail(_ job: ClaimedJob, error: any Error, backoff: Backoff = Backoff()) async throws -> JobState {
        try await fail(job.lease, attempt: job.attempt, message: String(describing: error), retryable: error.isRetryableJobError, backoff: backoff)
    }

    @discardableResult
    public func fail(_ lease: JobLease, attempt: Int, message: String, retryable: Bool, backoff: Backoff = Backoff()) async throws -> JobState {
        let delay = backoff.delay(afterAttempt: attempt)
        let text = retryable ? message : "permanent: \(message)"
        let query = QueueSQL.fail(id: lease.id, token: lease.token, permanent: !retryable, backoffSeconds: delay.seconds, error: String(text.prefix(8000)))
        let state = try await bounded("recording a failure") { [logger] connection -> JobState? in
            for try await state in try await connection.checkedQuery(query, logger: logger).decode(String.self) {
                return JobState(rawValue: state) ?? .dead
            }
            return nil
        }
        if let state { return state }
        throw QueueError(.leaseLost, "\(lease) is no longer held; its failure was not recorded")
    }

    // MARK: Release

    /// Gives held jobs back, claimable at once, without spending an attempt. Returns the ids released.
    @discardableResult
    public func release(_ leases: [JobLease], reason: String) async throws -> Set<Int64> {
        guard !leases.isEmpty else { return [] }
        return try await boundedTransaction("releasing jobs") { [logger, channel] connection in
            var released = Set<Int64>()
            let rows = try await connection.checkedQuery(
                QueueSQL.release(ids: leases.map(\.id), tokens: leases.map(\.token), reason: reason), logger: logger
            )
            for try await id in rows.decode(Int64.self) { released.insert(id) }
            if !released.isEmpty {
                try await connection.checkedQuery(QueueSQL.notify(channel: channel, kind: ""), logger: logger)
            }
            return released
        }
    }

    // MARK: Enqueue

    /// Inserts jobs, skipping those whose coverage already exists; returns the ids inserted.
    @discardableResult
    public func enqueue(_ jobs: [NewJob]) async throws -> [Int64] {
        guard !jobs.isEmpty else { return [] }
        return try await client.inTransaction(logger: logger) { connection in
            try await JobQueue.insert(jobs, on: connection, channel: channel, logger: logger)
        }
    }

    /// Enqueues (or requeues) `followUp` if every sibling of its range has succeeded. The lock is
    /// its own statement: under READ COMMITTED the check then sees a sibling that committed while
    /// this transaction waited, so of two siblings finishing together the second one enqueues.
    @discardableResult
    static func enqueueIfRangeDone(_ followUp: RangeFollowUp, on connection: PostgresConnection, channel: String, logger: Logger) async throws -> Int64? {
        try await connection.checkedQuery(
            QueueSQL.lockRange(kind: followUp.after.rawValue, first: followUp.firstBlock, last: followUp.lastBlock), logger: logger
        )
        let rows = try await connection.checkedQuery(QueueSQL.enqueueIfRangeDone(followUp), logger: logger)
        var inserted: Int64?
        for try await id in rows.decode(Int64.self) { inserted = id }
        if inserted != nil {
            try await connection.checkedQuery(QueueSQL.notify(channel: channel, kind: followUp.kind.rawValue), logger: logger)
        }
        return inserted
    }

    /// Batched insert on a connection inside a transaction, waking workers of each kind inserted.
    @discardableResult
    static func insert(_ jobs: [NewJob], on connection: PostgresConnection, channel: String, logger: Logger) async throws -> [Int64] {
        var inserted: [Int64] = []
        for policy in [NewJob.ConflictPolicy.skip, .requeue] {
            let selected = jobs.filter { $0.onConflict == policy }
            var batchStart = selected.startIndex
            while batchStart < selected.endIndex {
                let batch = selected[batchStart..<min(batchStart + 10_000, selected.endIndex)]
                batchStart = batch.endIndex
                let query = QueueSQL.insert(
                    kinds: batch.map(\.kind.rawValue), firstBlocks: batch.map(\.firstBlock), lastBlocks: batch.map(\.lastBlock),
                    entities: batch.map(\.entities), payloads: batch.map(\.payload), priorities: batch.map(\.priority),
                    maxAttempts: batch.map(\.maxAttempts), onConflict: policy
                )
                let rows = try await connection.checkedQuery(query, logger: logger)
                for try await id in rows.decode(Int64.self) { inserted.append(id) }
            }
        }
        if !inserted.isEmpty {
            for kind in Set(jobs.map(\.kind.rawValue)).sorted() {
                try await connection.checkedQuery(QueueSQL.notify(channel: channel, kind: kind), logger: logger)
            }
        }
        return inserted
    }
}
