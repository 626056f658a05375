// Queue benchmark: claim+complete throughput with concurrent claimers, and claim latency on a big table.

import ArgumentParser
import Foundation
import Logging
import PostgresNIO
import Shared

@main
struct QueueBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue-benchmark",
        abstract: "Measures the BlockFleet queue on a real PostgreSQL (a benchmark, not a test: it prints figures)."
    )

    @Option(name: .customLong("database-url")) var databaseURL: String
    @Option(help: "Concurrent claimers, each on its own connection.") var claimers: Int = 8
    @Option(help: "Claim batch sizes to measure, comma-separated.") var batches: String = "1,16"
    @Option(help: "Jobs per throughput run.") var jobs: Int = 40_000
    @Option(help: "Finished jobs in the table for the latency run.") var finished: Int = 1_000_000
    @Option(help: "Claims timed in the latency run.") var samples: Int = 2_000

    func run() async throws {
        let logger = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
        let base = try DatabaseConfiguration(url: databaseURL, setting: "--database-url")
        let schema = "bench_\(UInt32.random(in: 0...UInt32.max))"
        try await QueueDatabase.withClient(base, logger: logger) { admin in
            try await admin.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA \(schema)"), logger: logger)
        }
        var configuration = base
        configuration.schema = schema
        configuration.maximumConnections = claimers + 2
        let batchSizes = batches.split(separator: ",").compactMap { Int($0) }
        let (jobs, claimers, finished, samples) = (jobs, claimers, finished, samples)

        let cores = ProcessInfo.processInfo.activeProcessorCount
        print("queue benchmark — PostgreSQL on 127.0.0.1, \(cores) cores, \(claimers) claimers, \(jobs) jobs per run")
        try await QueueDatabase.withClient(configuration, logger: logger) { client in
            try await SchemaMigrator(client: client, logger: logger).migrate()
            let queue = JobQueue(client: client, schema: schema, logger: logger)
            for batch in batchSizes {
                let rate = try await throughput(queue: queue, client: client, jobs: jobs, claimers: claimers, batch: batch, logger: logger)
                print(String(format: "claim+complete, batch %3d: %8.0f jobs/s", batch, rate))
            }
            let (p50, p99, p999) = try await claimLatency(queue: queue, client: client, finished: finished, samples: samples, logger: logger)
            print(String(format: "claim latency with %d finished jobs in the table: p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms", finished, p50, p99, p999))
        }
        try await QueueDatabase.withClient(base, logger: logger) { admin in
            try await admin.query(PostgresQuery(unsafeSQL: "DROP SCHEMA \(schema) CASCADE"), logger: logger)
        }
    }

    /// Claimers loop claim(batch) → complete(batch) until the queue is empty; returns jobs per second.
    func throughput(queue: JobQueue, client: PostgresClient, jobs: Int, claimers: Int, batch: Int, logger: Logger) async throws -> Double {
        try await client.query("TRUNCATE jobs", logger: logger)
        try await queue.plan(try PlanRequest(kind: .noop, from: 0, to: Int64(jobs - 1), chunkSize: 1))
        try await client.query("ANALYZE jobs", logger: logger)
        let start = ContinuousClock.now
        let done = try await withThrowingTaskGroup(of: Int.self) { group in
            for claimer in 0..<claimers {
                group.addTask {
                    var count = 0
                    while true {
                        let claimed = try await queue.claim(kinds: [.noop], limit: batch, owner: "bench-\(claimer)", lease: .seconds(60))
                        if claimed.isEmpty { return count }
                        let accepted = try await queue.complete(claimed.map { JobCompletion(lease: $0.lease) })
                        count += accepted.count
                    }
                }
            }
            return try await group.reduce(0, +)
        }
        let elapsed = (ContinuousClock.now - start).seconds
        guard done == jobs else { throw QueueError(.invalidArgument, "completed \(done) of \(jobs) jobs") }
        return Double(done) / elapsed
    }

    /// Times single claims (limit 1) against a table holding `finished` succeeded jobs.
    func claimLatency(queue: JobQueue, client: PostgresClient, finished: Int, samples: Int, logger: Logger) async throws -> (Double, Double, Double) {
        try await client.query("TRUNCATE jobs", logger: logger)
        try await client.query("""
            INSERT INTO jobs (kind, first_block, last_block, state, attempts, lease_owner, finished_at, result)
            SELECT 'noop', g, g, 'succeeded', 1, 'bench', now(), '{}'::jsonb FROM generate_series(1, \(finished)) AS g
            """, logger: logger)
        try await queue.plan(try PlanRequest(kind: .noop, from: Int64(finished) + 1, to: Int64(finished + samples + 100), chunkSize: 1))
        try await client.query("VACUUM ANALYZE jobs", logger: logger)
        var latencies: [Double] = []
        latencies.reserveCapacity(samples)
        for _ in 0..<samples {
            let start = ContinuousClock.now
            let claimed = try await queue.claim(kinds: [.noop], limit: 1, owner: "bench", lease: .seconds(60))
            latencies.append((ContinuousClock.now - start).seconds * 1000)
            try await queue.complete(claimed.map { JobCompletion(lease: $0.lease) })
        }
        latencies.sort()
        func percentile(_ p: Double) -> Double { latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
        return (percentile(0.5), percentile(0.99), percentile(0.999))
    }
}
