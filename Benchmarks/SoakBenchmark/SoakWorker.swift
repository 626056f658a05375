// One simulated worker: its own client (LISTEN + statements), a claim loop filling its slots,
// heartbeats for what it holds, and completion with a follow-up for each first-generation job.

import Foundation
import Logging
import PostgresNIO
import Shared
import Synchronization

final class SoakWorker: Sendable {
    let id: String
    let queue: JobQueue
    let settings: SoakSettings
    let bell = Doorbell()
    let held = Mutex<Set<JobLease>>([])
    let tally = Mutex(SoakTally())
    /// True once the LISTEN connection is up.
    let listening = Atomic<Bool>(false)

    init(id: String, queue: JobQueue, settings: SoakSettings) {
        self.id = id
        self.queue = queue
        self.settings = settings
    }

    /// Claims and completes until `stop` is set; the caller runs the client.
    func run(until stop: SoakStop) async {
        await withDiscardingTaskGroup { group in
            if settings.listens { group.addTask { await self.listen() } } else { listening.store(true, ordering: .relaxed) }
            group.addTask { await self.heartbeats(until: stop) }
            await withDiscardingTaskGroup { jobs in
                while !stop.isSet {
                    let free = settings.slots - held.withLock(\.count)
                    guard free > 0 else {
                        await bell.wait(timeout: settings.poll)
                        continue
                    }
                    let started = ContinuousClock.now
                    let claimed: [ClaimedJob]
                    do {
                        claimed = try await queue.claim(kinds: [.noop, .sleep], limit: free, owner: id, lease: settings.lease)
                    } catch {
                        tally.withLock { $0.errors += 1 }
                        await bell.wait(timeout: settings.poll)
                        continue
                    }
                    let milliseconds = (ContinuousClock.now - started).seconds * 1000
                    tally.withLock {
                        $0.claimMilliseconds.append(milliseconds)
                        if claimed.isEmpty { $0.emptyClaims += 1 }
                    }
                    guard !claimed.isEmpty else {
                        await bell.wait(timeout: settings.poll)
                        continue
                    }
                    for job in claimed {
                        held.withLock { _ = $0.insert(job.lease) }
                        jobs.addTask { await self.work(job) }
                    }
                }
            }
            group.cancelAll()
        }
    }

    /// Holds the job for the work time, then completes it; a first-generation (`noop`) job gets a
    /// `sleep` follow-up over the same block, as an export gets its loads.
    private func work(_ job: ClaimedJob) async {
        try? await Task.sleep(for: settings.work)
        let followUps = job.kind == .noop ? [NewJob(kind: .sleep, firstBlock: job.firstBlock, lastBlock: job.lastBlock)] : []
        do {
            try await queue.complete(JobCompletion(lease: job.lease, followUps: followUps))
            tally.withLock { $0.completed += 1 }
        } catch {
            tally.withLock { $0.errors += 1 }
        }
        held.withLock { _ = $0.remove(job.lease) }
        bell.ring()
    }

    /// As `WorkerService` beats: the held leases, then the worker's row in the registry.
    private func heartbeats(until stop: SoakStop) async {
        let registry = WorkerRegistry(client: queue.client, logger: queue.logger, statementTimeout: .seconds(30))
        do {
            try await registry.register(id: id, host: "soak", pid: 0, kinds: [.noop, .sleep], concurrency: settings.slots)
        } catch {
            tally.withLock { $0.errors += 1 }
        }
        while !stop.isSet, !Task.isCancelled {
            try? await Task.sleep(for: settings.heartbeat)
            let leases = Array(held.withLock { $0 })
            do {
                if !leases.isEmpty { _ = try await queue.heartbeat(leases, lease: settings.lease) }
                let done = tally.withLock { $0.completed }
                try await registry.heartbeat(id: id, currentJobs: leases.map(\.id), done: done, failed: 0)
            } catch {
                tally.withLock { $0.errors += 1 }
            }
        }
    }

    /// LISTEN on the queue's channel on a connection of its own; each notification rings the bell.
    private func listen() async {
        while !Task.isCancelled {
            do {
                try await queue.client.withConnection { connection in
                    try await connection.listen(on: self.queue.channel) { notifications in
                        self.listening.store(true, ordering: .relaxed)
                        self.bell.ring()
                        for try await _ in notifications { self.bell.ring() }
                    }
                }
            } catch {
                if Task.isCancelled { return }
            }
            listening.store(false, ordering: .relaxed)
            try? await Task.sleep(for: .milliseconds(200))
        }
    }
}
