// What each simulated worker does.

struct SoakSettings: Sendable {
    var workers: Int
    var connections: Int
    var slots: Int
    /// How long a job is held before it completes.
    var work: Duration
    var heartbeat: Duration
    var poll: Duration
    /// Whether workers LISTEN (else they poll only).
    var listens: Bool = true
    /// How long a claim leases a job.
    var lease: Duration { .seconds(30) }
}
