// Two worker processes that export, load and model a planned span, for the pipeline tests.

import Foundation

/// Two `worker` processes (concurrency 2 each) on a test database's queue, staging to a scratch
/// folder and loading into the test's schema of the same server, with fast polls and retries.
struct PipelineWorkers {
    let processes: [FleetProcess]

    /// Starts the workers with `settings` on top of the common environment and waits until
    /// `modelJobs` model jobs have succeeded (every planned range exported, loaded and modelled);
    /// on a timeout the error carries the workers' logs. `meanwhile` runs once the workers are
    /// started, before that wait (e.g. to hold some ranges back and release them later).
    static func run(_ db: TestDatabase, node url: String, scratch: URL, settings: [String: String],
                    modelJobs: Int, timeout: Duration, meanwhile: (() async throws -> Void)? = nil) async throws -> PipelineWorkers {
        let environment = [
            "BLOCKFLEET_DATABASE_URL": db.url,
            "BLOCKFLEET_RPC_URLS": url,
            "BLOCKFLEET_STAGING_URL": "file://\(scratch.appendingPathComponent("staging").path)",
            "BLOCKFLEET_SCRATCH_DIR": scratch.appendingPathComponent("scratch").path,
            "BLOCKFLEET_WAREHOUSE_URL": ProcessInfo.processInfo.environment["BLOCKFLEET_TEST_DATABASE_URL"] ?? "",
            "BLOCKFLEET_WAREHOUSE_SCHEMA": db.schema,
            "BLOCKFLEET_POLL_SECONDS": "0.5",
            "BLOCKFLEET_RETRY_BASE_SECONDS": "0.2",
        ].merging(settings) { $1 }
        let workers = PipelineWorkers(processes: try (0..<2).map { _ in try FleetProcess("worker", ["--concurrency", "2"], environment: environment) })
        do {
            try await meanwhile?()
            try await eventually("\(modelJobs) model jobs to succeed after their exports and loads", timeout: timeout) {
                try await db.count(kind: "model", state: "succeeded") == modelJobs
            }
        } catch {
            workers.kill()
            throw TestSetupError("\(error)\n\(workers.processes.map(\.log).joined(separator: "\n---\n"))")
        }
        return workers
    }

    /// SIGTERM, then each worker's exit status.
    func stop() async throws -> [Int32] {
        for process in processes { process.signal(SIGTERM) }
        var statuses: [Int32] = []
        for process in processes { statuses.append(try await process.waitForExit()) }
        return statuses
    }

    func kill() { for process in processes { process.signal(SIGKILL) } }
}
