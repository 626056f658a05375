// A task executor with one thread of its own, and timers on that thread, for work that must keep time while the cooperative pool is busy.

import Foundation

/// Runs the tasks that prefer it (`addTask(executorPreference:)`, `withTaskExecutorPreference`)
/// on one thread of its own, in the order they are enqueued, and times their `sleep(until:)`.
///
/// Why: Swift's cooperative pool has one thread per core. A worker pod running as many CPU-bound
/// jobs as it has cores (a decode stage, a Parquet row group) leaves no thread free, and on Linux
/// even `Task.sleep`'s timers are fired by that pool: heartbeats and the lease watchdog woke
/// seconds late exactly when the machine was busiest. The lease-keeping tasks prefer `leases` and
/// sleep with its timers instead; their own work is a few statements a second.
///
/// The thread lives as long as the process: make one per purpose, not per use.
public final class DedicatedThreadExecutor: TaskExecutor, @unchecked Sendable {
    /// The executor of the worker's heartbeats and lease watchdog.
    public static let leases = DedicatedThreadExecutor(name: "blockfleet-leases")

    public let name: String
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var pending: [UnownedJob] = []
    private var sleepers: [UInt64: Sleeper] = [:]
    private var cancelledBeforeStart: Set<UInt64> = []
    private var nextSleeperID: UInt64 = 0
    private var thread: pthread_t?

    /// A task in `sleep(until:)`, resumed at its deadline.
    private struct Sleeper {
        let deadline: ContinuousClock.Instant
        let continuation: CheckedContinuation<Void, any Error>
    }

    public init(name: String) {
        self.name = name
        // Named from inside: on Linux a name set before `start()` is not applied, and the thread
        // would carry the name of whichever thread created it.
        Thread { [self] in
            Thread.current.name = name
            condition.lock()
            thread = pthread_self()
            condition.unlock()
            runJobs()
        }.start()
    }

    /// Whether the caller runs on this executor's thread.
    public var isCurrentThread: Bool {
        condition.lock()
        defer { condition.unlock() }
        return thread.map { pthread_equal($0, pthread_self()) != 0 } ?? false
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        pending.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Suspends the calling task until `deadline`, timed by this executor's thread rather than the
    /// cooperative pool. Throws `CancellationError` if the task is cancelled first.
    public func sleep(until deadline: ContinuousClock.Instant) async throws {
        let id = newSleeperID()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                condition.lock()
                if cancelledBeforeStart.remove(id) != nil {
                    condition.unlock()
                    continuation.resume(throwing: CancellationError())
                    return
                }
                sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                condition.signal()
                condition.unlock()
            }
        } onCancel: {
            condition.lock()
            let sleeper = sleepers.removeValue(forKey: id)
            if sleeper == nil { cancelledBeforeStart.insert(id) }
            condition.unlock()
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    private func newSleeperID() -> UInt64 {
        condition.lock()
        defer { condition.unlock() }
        nextSleeperID += 1
        return nextSleeperID
    }

    private func runJobs() {
        var batch: [UnownedJob] = []
        var due: [CheckedContinuation<Void, any Error>] = []
        while true {
            condition.lock()
            // Due sleepers are collected on every pass, so a steady stream of jobs cannot hold them up.
            while true {
                let now = ContinuousClock.now
                for (id, sleeper) in sleepers where sleeper.deadline <= now {
                    sleepers[id] = nil
                    due.append(sleeper.continuation)
                }
                if !pending.isEmpty || !due.isEmpty { break }
                if let earliest = sleepers.values.map(\.deadline).min() {
                    _ = condition.wait(until: Date(timeIntervalSinceNow: now.duration(to: earliest).seconds))
                } else {
                    condition.wait()
                }
            }
            swap(&batch, &pending)
            condition.unlock()
            // Resuming enqueues the sleeping task (on this executor, if it prefers it) outside the lock.
            for continuation in due { continuation.resume() }
            due.removeAll(keepingCapacity: true)
            for job in batch { job.runSynchronously(on: asUnownedTaskExecutor()) }
            batch.removeAll(keepingCapacity: true)
        }
    }
}
