// The jobs one worker holds right now, what became of each lease, and until when each is surely held.

import Foundation

/// Book-keeping of held jobs, keyed by lease (id and fencing token): a job re-claimed while the task
/// of its previous lease still unwinds is a second entry, so the old task's end cannot take the new
/// lease's heartbeats away. A job's fate decides what its task may write when it ends: only a job
/// still `running` here completes or fails in the queue.
actor HeldJobs {
    enum Fate: Sendable {
        case running
        /// The lease is gone or about to expire: stop and write nothing.
        case lost
        /// Shutdown gave (or is giving) the job back: write nothing, `release` does it.
        case releasing
    }

    private struct Entry {
        let job: ClaimedJob
        let stop: StopSignal
        var fate: Fate
        /// The lease surely runs until here: when the claim or the last extending heartbeat was sent,
        /// plus the lease length (the database starts counting later, when it runs the statement).
        var leaseDeadline: ContinuousClock.Instant
    }

    private var entries: [JobLease: Entry] = [:]
    private var succeededSinceBeat = 0
    private var failedSinceBeat = 0
    private(set) var leaseLosses = 0
    /// The wall-clock instant of each job's latest lease loss, for the last `lossTimesKept` jobs.
    private(set) var lossTimes: [Int64: Date] = [:]
    static let lossTimesKept = 100

    var count: Int { entries.count }
    var ids: [Int64] { entries.keys.map(\.id).sorted() }

    /// Adds a claimed job; its task waits on the returned signal and stops when it fires.
    func add(_ job: ClaimedJob, leaseDeadline: ContinuousClock.Instant) -> StopSignal {
        let stop = StopSignal()
        entries[job.lease] = Entry(job: job, stop: stop, fate: .running, leaseDeadline: leaseDeadline)
        return stop
    }

    func fate(of lease: JobLease) -> Fate { entries[lease]?.fate ?? .lost }

    func holdsAny(_ leases: [JobLease]) -> Bool { leases.contains { entries[$0] != nil } }

    func finish(_ lease: JobLease, succeeded: Bool?) {
        guard entries.removeValue(forKey: lease) != nil else { return }
        switch succeeded {
        case true?: succeededSinceBeat += 1
        case false?: failedSinceBeat += 1
        case nil: break
        }
    }

    /// Leases to extend: the jobs still running.
    func runningLeases() -> [JobLease] {
        entries.values.filter { $0.fate == .running }.map(\.job.lease)
    }

    /// Records that a heartbeat sent at `sent` extended `leases`.
    func extend(_ leases: Set<JobLease>, sentAt sent: ContinuousClock.Instant, lease: Duration) {
        for key in leases {
            guard let deadline = entries[key]?.leaseDeadline else { continue }
            entries[key]?.leaseDeadline = max(deadline, sent + lease)
        }
    }

    /// Marks leases lost and stops their tasks; returns the jobs affected.
    @discardableResult
    func markLost(_ leases: Set<JobLease>) -> [ClaimedJob] {
        var affected: [ClaimedJob] = []
        for key in leases {
            guard var entry = entries[key], entry.fate == .running else { continue }
            entry.fate = .lost
            entry.stop.fire()
            entries[key] = entry
            affected.append(entry.job)
            leaseLosses += 1
            lossTimes[entry.job.id] = Date()
            if lossTimes.count > Self.lossTimesKept, let oldest = lossTimes.min(by: { $0.value < $1.value }) {
                lossTimes[oldest.key] = nil
            }
        }
        return affected
    }

    /// Marks lost the running jobs whose lease may expire before `instant`; returns them.
    func abandon(expiringBefore instant: ContinuousClock.Instant) -> [ClaimedJob] {
        markLost(Set(entries.filter { $0.value.fate == .running && $0.value.leaseDeadline <= instant }.keys))
    }

    /// The earliest lease deadline of a running job.
    var earliestDeadline: ContinuousClock.Instant? {
        entries.values.filter { $0.fate == .running }.map(\.leaseDeadline).min()
    }

    /// Marks every running job as being released and stops its task; returns the leases.
    func beginRelease() -> [JobLease] {
        var released: [JobLease] = []
        for (key, var entry) in entries where entry.fate == .running {
            entry.fate = .releasing
            entry.stop.fire()
            entries[key] = entry
            released.append(key)
        }
        return released
    }

    /// The counts since the last call, for the registry's heartbeat.
    func takeCounters() -> (succeeded: Int, failed: Int) {
        defer { succeededSinceBeat = 0; failedSinceBeat = 0 }
        return (succeededSinceBeat, failedSinceBeat)
    }

    func restoreCounters(succeeded: Int, failed: Int) {
        succeededSinceBeat += succeeded
        failedSinceBeat += failed
    }
}
