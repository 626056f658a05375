// The jobs one worker holds right now, with the task running each and what became of its lease.

/// Book-keeping of held jobs. A job's fate decides what its task may write when it ends: only a
/// job still `running` here completes or fails in the queue.
actor HeldJobs {
    enum Fate: Sendable {
        case running
        /// The heartbeat found the lease gone: stop and write nothing.
        case lost
        /// Shutdown gave (or is giving) the job back: write nothing, `release` does it.
        case releasing
    }

    private struct Entry {
        let job: ClaimedJob
        var task: Task<Void, Never>?
        var fate: Fate
    }

    private var entries: [Int64: Entry] = [:]
    private var succeededSinceBeat = 0
    private var failedSinceBeat = 0
    private(set) var leaseLosses = 0

    var count: Int { entries.count }
    var ids: [Int64] { entries.keys.sorted() }

    func add(_ job: ClaimedJob) {
        entries[job.id] = Entry(job: job, task: nil, fate: .running)
    }

    /// Attaches the task after it started; a task that already finished is not re-added.
    func attach(_ task: Task<Void, Never>, to id: Int64) {
        guard entries[id] != nil else { return }
        entries[id]?.task = task
        if entries[id]?.fate != .running { task.cancel() }
    }

    func fate(of id: Int64) -> Fate { entries[id]?.fate ?? .lost }

    func finish(_ id: Int64, succeeded: Bool?) {
        guard entries.removeValue(forKey: id) != nil else { return }
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

    /// Marks leases lost and cancels their tasks; returns the jobs affected.
    @discardableResult
    func markLost(_ ids: Set<Int64>) -> [ClaimedJob] {
        var affected: [ClaimedJob] = []
        for id in ids {
            guard var entry = entries[id], entry.fate == .running else { continue }
            entry.fate = .lost
            entry.task?.cancel()
            entries[id] = entry
            affected.append(entry.job)
            leaseLosses += 1
        }
        return affected
    }

    /// Marks every running job as being released, cancels its task, returns its lease and task.
    func beginRelease() -> [(JobLease, Task<Void, Never>?)] {
        var released: [(JobLease, Task<Void, Never>?)] = []
        for (id, var entry) in entries where entry.fate == .running {
            entry.fate = .releasing
            entry.task?.cancel()
            entries[id] = entry
            released.append((entry.job.lease, entry.task))
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
