// The states of a job's life; the text is what the `jobs.state` column holds.

/// Where a job is in its life: `pending → running → succeeded | retrying | dead | cancelled`.
public enum JobState: String, CaseIterable, Sendable, Codable {
    /// Ready to be claimed once `run_after` has passed.
    case pending
    /// Leased by a worker until `lease_expires_at`.
    case running
    /// Failed with a retryable error; claimable again after its backoff (`run_after`).
    case retrying
    case succeeded
    /// Out of attempts, or failed permanently; `last_error` says why. `coordinator retry` revives it.
    case dead
    case cancelled

    /// States a worker may claim from.
    public static let claimable: [JobState] = [.pending, .retrying]
    /// States that end a job's life.
    public var isFinal: Bool { self == .succeeded || self == .dead || self == .cancelled }
}
