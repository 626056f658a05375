// What a worker does with a claimed job of one kind.

/// What a runner hands back when a job succeeds.
public struct JobOutcome: Sendable {
    /// JSON object stored in `jobs.result`.
    public var result: String?
    /// Jobs to insert in the completion's transaction (e.g. an export's load jobs).
    public var followUps: [NewJob]
    /// A job to enqueue when this one is the last of its range's siblings to succeed (a load's model job).
    public var whenRangeDone: RangeFollowUp?
    /// Come again later instead of succeeding (`JobDeferral`).
    public var deferral: JobDeferral?
    /// Model jobs to enqueue on later ranges with the completion (`ModelBackfill`).
    public var modelBackfill: ModelBackfill?
    /// Decoded tables' counts on the range, for status (`DecodedRangeCounts`).
    public var decodedCounts: DecodedRangeCounts?

    public init(result: String? = nil, followUps: [NewJob] = [], whenRangeDone: RangeFollowUp? = nil,
                deferral: JobDeferral? = nil, modelBackfill: ModelBackfill? = nil) {
        self.result = result
        self.followUps = followUps
        self.whenRangeDone = whenRangeDone
        self.deferral = deferral
        self.modelBackfill = modelBackfill
    }
}

/// Runs the jobs of one kind. Implementations must be cancellation-aware: a worker cancels the
/// task when the job's lease is lost or the shutdown grace period ends, and then writes nothing.
public protocol JobRunner: Sendable {
    func run(_ job: ClaimedJob) async throws -> JobOutcome
}
