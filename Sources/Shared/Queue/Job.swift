// The job records that cross the queue's API: new, claimed and listed jobs.

import Foundation

/// A job to insert. The queue's unique key is `(kind, first_block, last_block, entities)`, so inserting
/// what already exists is a no-op: planning and follow-ups are idempotent.
public struct NewJob: Sendable, Equatable {
    public var kind: JobKind
    public var firstBlock: Int64
    public var lastBlock: Int64
    /// Canonical comma-joined entity list (`ExportEntity.listText`), or "" when the kind has none.
    public var entities: String
    /// Kind-specific parameters as a JSON object, e.g. a load job's staged object references.
    public var payload: String
    public var priority: Int
    public var maxAttempts: Int
    /// What inserting does when a job with the same coverage exists. Default `.skip`.
    public var onConflict: ConflictPolicy

    /// Planning is idempotent (`skip`); an export's load follow-ups must run again after a
    /// re-export (`requeue`).
    public enum ConflictPolicy: Sendable, Equatable {
        case skip
        case requeue
    }

    public init(
        kind: JobKind,
        firstBlock: Int64,
        lastBlock: Int64,
        entities: String = "",
        payload: String = "{}",
        priority: Int = 100,
        maxAttempts: Int = 5,
        onConflict: ConflictPolicy = .skip
    ) {
        self.onConflict = onConflict
        self.kind = kind
        self.firstBlock = firstBlock
        self.lastBlock = lastBlock
        self.entities = entities
        self.payload = payload
        self.priority = priority
        self.maxAttempts = maxAttempts
    }
}

/// A job a worker holds. `leaseToken` is the fencing token: every later write about this job must present it.
public struct ClaimedJob: Sendable, Equatable, Identifiable {
    public let id: Int64
    public let kind: JobKind
    public let firstBlock: Int64
    public let lastBlock: Int64
    public let entities: String
    public let payload: String
    /// 1 on the first claim; counts claims, so a job that keeps crashing its workers dies too.
    public let attempt: Int
    public let maxAttempts: Int
    public let leaseToken: Int64
    public let priority: Int

    public init(id: Int64, kind: JobKind, firstBlock: Int64, lastBlock: Int64, entities: String, payload: String, attempt: Int, maxAttempts: Int, leaseToken: Int64, priority: Int) {
        self.id = id
        self.kind = kind
        self.firstBlock = firstBlock
        self.lastBlock = lastBlock
        self.entities = entities
        self.payload = payload
        self.attempt = attempt
        self.maxAttempts = maxAttempts
        self.leaseToken = leaseToken
        self.priority = priority
    }

    /// The `(id, lease_token)` pair that every write about this job is matched on.
    public var lease: JobLease { JobLease(id: id, token: leaseToken) }
}

/// A job id with the lease token of one claim of it.
public struct JobLease: Sendable, Hashable, CustomStringConvertible {
    public let id: Int64
    public let token: Int64
    public init(id: Int64, token: Int64) {
        self.id = id
        self.token = token
    }
    public var description: String { "job \(id) (lease \(token))" }
}

/// A successful end of a claimed job: its result and the jobs it hands on (the outbox).
public struct JobCompletion: Sendable {
    public let lease: JobLease
    /// JSON object kept in `jobs.result`, e.g. the last block's hash for the reorg guard.
    public let result: String?
    public let followUps: [NewJob]
    /// A job the last of its range's siblings enqueues (a load's model job).
    public let whenRangeDone: RangeFollowUp?
    /// Not done yet: back to `pending` after a delay, the attempt not counted (see `JobDeferral`).
    public let deferral: JobDeferral?
    /// Model jobs to enqueue (or requeue) on every loaded range from a block on, in the same
    /// transaction (a decoded table that changed under later ranges' dependents).
    public let modelBackfill: ModelBackfill?
    /// Rows and skips per decoded table on the job's range, kept for `coordinator status`.
    public let decodedCounts: DecodedRangeCounts?

    public init(lease: JobLease, result: String? = nil, followUps: [NewJob] = [], whenRangeDone: RangeFollowUp? = nil,
                deferral: JobDeferral? = nil, modelBackfill: ModelBackfill? = nil, decodedCounts: DecodedRangeCounts? = nil) {
        self.lease = lease
        self.result = result
        self.followUps = followUps
        self.whenRangeDone = whenRangeDone
        self.deferral = deferral
        self.modelBackfill = modelBackfill
        self.decodedCounts = decodedCounts
    }
}

/// What a model job decoded on its range, per table (`dataset.table`): rows and skips of every
/// table decoded there, now or before. The completion replaces the range's previous counts and
/// moves the per-table sums by the difference.
public struct DecodedRangeCounts: Sendable, Equatable {
    public var firstBlock: Int64
    public var lastBlock: Int64
    public var tables: [String: (decoded: Int64, skipped: Int64)]

    public init(firstBlock: Int64, lastBlock: Int64, tables: [String: (decoded: Int64, skipped: Int64)]) {
        self.firstBlock = firstBlock
        self.lastBlock = lastBlock
        self.tables = tables
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.firstBlock == rhs.firstBlock && lhs.lastBlock == rhs.lastBlock && lhs.tables.count == rhs.tables.count
            && lhs.tables.allSatisfy { key, value in rhs.tables[key].map { $0 == value } ?? false }
    }
}

/// A job that did what it could and must come again later, e.g. a model job whose decoded tables
/// wait on a dependency's high-water mark. It returns to `pending` with `run_after` pushed out by
/// `seconds`, its attempt given back (waiting is not failing: it never goes dead for it), its
/// result kept (what it did and what waits), and `reason` in `last_error` for `jobs show`.
public struct JobDeferral: Sendable, Equatable {
    public var seconds: Double
    public var reason: String

    public init(seconds: Double, reason: String) {
        self.seconds = seconds
        self.reason = reason
    }
}

/// `coordinator models backfill` done by a job: model jobs on every range in `[fromBlock, ∞)`
/// whose export and loads succeeded, forcing `force`.
public struct ModelBackfill: Sendable, Equatable {
    public var force: [String]
    public var fromBlock: Int64

    public init(force: [String], fromBlock: Int64) {
        self.force = force
        self.fromBlock = fromBlock
    }
}

/// A job enqueued once every job of kind `after` covering exactly `[firstBlock, lastBlock]` has
/// succeeded: the completion that makes it so inserts it, in its own transaction, under a lock
/// per range, so two siblings finishing together enqueue it exactly once. An existing one is
/// requeued (the range was loaded again). Its payload lists the siblings' entities.
public struct RangeFollowUp: Sendable, Equatable {
    public var after: JobKind
    public var kind: JobKind
    public var firstBlock: Int64
    public var lastBlock: Int64
    public var priority: Int
    public var maxAttempts: Int

    public init(after: JobKind, kind: JobKind, firstBlock: Int64, lastBlock: Int64, priority: Int = 100, maxAttempts: Int = 5) {
        self.after = after
        self.kind = kind
        self.firstBlock = firstBlock
        self.lastBlock = lastBlock
        self.priority = priority
        self.maxAttempts = maxAttempts
    }
}

/// A job as the admin CLI lists it.
public struct JobRecord: Sendable, Codable, Equatable {
    public let id: Int64
    public let kind: String
    public let state: String
    public let firstBlock: Int64
    public let lastBlock: Int64
    public let entities: String
    public let priority: Int
    public let attempts: Int
    public let maxAttempts: Int
    public let leaseOwner: String?
    public let leaseExpiresAt: Date?
    public let runAfter: Date
    public let lastError: String?
    public let createdAt: Date
    public let updatedAt: Date
}
