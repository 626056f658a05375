// The `workers` table: who is in the fleet, what each holds, when each was last seen.

import Foundation
import Logging
import PostgresNIO

/// A worker process as the registry shows it.
public struct WorkerRecord: Sendable, Codable, Equatable {
    public let id: String
    public let host: String
    public let pid: Int
    public let version: String
    public let kinds: String
    public let concurrency: Int
    public let startedAt: Date
    public let lastSeenAt: Date
    public let stoppedAt: Date?
    public let currentJobs: [Int64]
    public let jobsDone: Int64
    public let jobsFailed: Int64
    public let secondsSinceSeen: Double
}

/// Registration and liveness of worker processes.
public struct WorkerRegistry: Sendable {
    public let client: PostgresClient
    public let logger: Logger
    /// Longest a worker's own statement (register, heartbeat, stop) waits before its connection is
    /// closed, as `JobQueue.statementTimeout`. Default nil: no limit.
    public var statementTimeout: Duration?

    public init(client: PostgresClient, logger: Logger, statementTimeout: Duration? = nil) {
        self.client = client
        self.logger = logger
        self.statementTimeout = statementTimeout
    }

    private func run(_ operation: String, _ query: PostgresQuery) async throws {
        try await client.withConnection(deadline: statementTimeout, operation) { [logger] connection in
            for try await _ in try await connection.checkedQuery(query, logger: logger) {}
        }
    }

    public func register(id: String, host: String, pid: Int, kinds: [JobKind], concurrency: Int) async throws {
        try await run("registering the worker", QueueSQL.registerWorker(
            id: id, host: host, pid: pid, version: BlockFleet.version, kinds: kinds.map(\.rawValue), concurrency: concurrency
        ))
    }

    /// Records that the worker is alive, what it holds now, and what it finished since the last beat.
    public func heartbeat(id: String, currentJobs: [Int64], done: Int, failed: Int) async throws {
        try await run("the worker heartbeat", QueueSQL.workerHeartbeat(id: id, currentJobs: currentJobs, done: done, failed: failed))
    }

    public func markStopped(id: String) async throws {
        try await run("marking the worker stopped", QueueSQL.stopWorker(id: id))
    }

    public func list() async throws -> [WorkerRecord] {
        var records: [WorkerRecord] = []
        for try await row in try await client.query(QueueSQL.listWorkers, logger: logger) {
            let columns = row.makeRandomAccess()
            records.append(WorkerRecord(
                id: try columns[0].decode(String.self),
                host: try columns[1].decode(String.self),
                pid: try columns[2].decode(Int.self),
                version: try columns[3].decode(String.self),
                kinds: try columns[4].decode(String.self),
                concurrency: try columns[5].decode(Int.self),
                startedAt: try columns[6].decode(Date.self),
                lastSeenAt: try columns[7].decode(Date.self),
                stoppedAt: try columns[8].decode(Date?.self),
                currentJobs: try columns[9].decode([Int64].self),
                jobsDone: try columns[10].decode(Int64.self),
                jobsFailed: try columns[11].decode(Int64.self),
                secondsSinceSeen: try columns[12].decode(Double.self)
            ))
        }
        return records
    }

    public func prune(olderThan retention: Duration) async throws {
        try await client.query(QueueSQL.pruneWorkers(olderThanSeconds: retention.seconds), logger: logger)
    }
}
