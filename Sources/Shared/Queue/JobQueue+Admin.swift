// Operator actions and read-outs: retry, cancel, pause, queue depth, job listings.

import Foundation
import Logging
import PostgresNIO

/// Jobs of one kind in one state.
public struct QueueDepth: Sendable, Codable, Equatable {
    public let kind: String
    public let state: String
    public let count: Int64
    /// Seconds the oldest ready job has waited past its `run_after` (0 when none is ready).
    public let oldestReadySeconds: Double
}

/// How much of the planned export span is done.
public struct ExportProgress: Sendable, Codable, Equatable {
    public let firstBlock: Int64
    public let lastBlock: Int64
    public let exportedBlocks: Int64
    public let plannedBlocks: Int64
    /// Exported blocks whose every load job succeeded (or was pruned after the retention).
    public var loadedBlocks: Int64 = 0
    /// Exported blocks whose model job succeeded (or, past the retention, whose jobs were pruned).
    public var modelledBlocks: Int64 = 0

    public var fraction: Double { share(exportedBlocks) }

    /// `blocks` as a share of the planned blocks (0 when nothing is planned).
    public func share(_ blocks: Int64) -> Double { plannedBlocks == 0 ? 0 : Double(blocks) / Double(plannedBlocks) }
}

/// Filters for `coordinator jobs`.
public struct JobFilter: Sendable {
    public var state: JobState?
    public var kind: JobKind?
    public var block: Int64?
    public var worker: String?
    public var limit: Int

    public init(state: JobState? = nil, kind: JobKind? = nil, block: Int64? = nil, worker: String? = nil, limit: Int = 100) {
        self.state = state
        self.kind = kind
        self.block = block
        self.worker = worker
        self.limit = limit
    }
}

extension JobQueue {
    /// Puts dead, cancelled or backing-off jobs back to pending with fresh attempts; `allDead` takes every dead job.
    /// Returns the ids requeued.
    @discardableResult
    public func retry(ids: [Int64], allDead: Bool = false) async throws -> [Int64] {
        try await client.inTransaction(logger: logger) { connection in
            var requeued: [(Int64, String)] = []
            for try await row in try await connection.checkedQuery(QueueSQL.retry(ids: ids, allDead: allDead), logger: logger).decode((Int64, String).self) {
                requeued.append(row)
            }
            for kind in Set(requeued.map(\.1)).sorted() {
                try await connection.checkedQuery(QueueSQL.notify(channel: channel, kind: kind), logger: logger)
            }
            return requeued.map(\.0).sorted()
        }
    }

    /// Cancels jobs that have not succeeded; returns the ids cancelled.
    @discardableResult
    public func cancel(ids: [Int64]) async throws -> [Int64] {
        var cancelled: [Int64] = []
        for try await id in try await client.query(QueueSQL.cancel(ids: ids), logger: logger).decode(Int64.self) {
            cancelled.append(id)
        }
        return cancelled.sorted()
    }

    /// Stops workers from claiming jobs of `kind` (running ones finish).
    public func pause(_ kind: JobKind, by who: String) async throws {
        try await client.query(QueueSQL.pause(kind: kind.rawValue, by: who), logger: logger)
    }

    public func resume(_ kind: JobKind) async throws {
        try await client.inTransaction(logger: logger) { connection in
            try await connection.checkedQuery(QueueSQL.resume(kind: kind.rawValue), logger: logger)
            try await connection.checkedQuery(QueueSQL.notify(channel: channel, kind: kind.rawValue), logger: logger)
        }
    }

    public func pausedKinds() async throws -> [JobKind] {
        var kinds: [JobKind] = []
        for try await kind in try await client.query(QueueSQL.pausedKinds, logger: logger).decode(String.self) {
            kinds.append(JobKind(rawValue: kind))
        }
        return kinds
    }

    /// Job counts by kind and state.
    public func depth() async throws -> [QueueDepth] {
        var result: [QueueDepth] = []
        for try await (kind, state, count, oldest) in try await client.query(QueueSQL.depth, logger: logger).decode((String, String, Int64, Double).self) {
            result.append(QueueDepth(kind: kind, state: state, count: count, oldestReadySeconds: oldest))
        }
        return result
    }

    public func exportProgress() async throws -> ExportProgress {
        var progress = ExportProgress(firstBlock: 0, lastBlock: -1, exportedBlocks: 0, plannedBlocks: 0)
        for try await (first, last, exported, planned) in try await client.query(QueueSQL.exportProgress, logger: logger).decode((Int64, Int64, Int64, Int64).self) {
            progress = ExportProgress(firstBlock: first, lastBlock: last, exportedBlocks: exported, plannedBlocks: planned)
        }
        for try await (loaded, modelled) in try await client.query(QueueSQL.loadAndModelProgress, logger: logger).decode((Int64, Int64).self) {
            progress.loadedBlocks = loaded
            progress.modelledBlocks = modelled
        }
        return progress
    }

    public func jobs(_ filter: JobFilter) async throws -> [JobRecord] {
        let query = QueueSQL.list(
            state: filter.state?.rawValue, kind: filter.kind?.rawValue, block: filter.block, worker: filter.worker, limit: filter.limit
        )
        var records: [JobRecord] = []
        let rows = try await client.query(query, logger: logger)
        for try await row in rows {
            let columns = row.makeRandomAccess()
            records.append(JobRecord(
                id: try columns[0].decode(Int64.self),
                kind: try columns[1].decode(String.self),
                state: try columns[2].decode(String.self),
                firstBlock: try columns[3].decode(Int64.self),
                lastBlock: try columns[4].decode(Int64.self),
                entities: try columns[5].decode(String.self),
                priority: try columns[6].decode(Int.self),
                attempts: try columns[7].decode(Int.self),
                maxAttempts: try columns[8].decode(Int.self),
                leaseOwner: try columns[9].decode(String?.self),
                leaseExpiresAt: try columns[10].decode(Date?.self),
                runAfter: try columns[11].decode(Date.self),
                lastError: try columns[12].decode(String?.self),
                createdAt: try columns[13].decode(Date.self),
                updatedAt: try columns[14].decode(Date.self)
            ))
        }
        return records
    }
}
