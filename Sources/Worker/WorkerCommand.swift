// `worker`: claims and runs BlockFleet jobs until SIGTERM.

import ArgumentParser
import Shared

@main
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "A stateless BlockFleet worker: claims jobs from the queue and runs them.",
        version: BlockFleet.version,
        subcommands: [Run.self, Export.self],
        defaultSubcommand: Run.self
    )
}

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Claim and run jobs until SIGTERM, then finish or release what is held and exit 0.")
    @OptionGroup var options: CommonOptions
    @Option(help: "Worker id (env BLOCKFLEET_WORKER_ID; default host-pid-random).") var id: String?
    @Option(help: "Comma-separated job kinds to claim (env BLOCKFLEET_WORKER_KINDS; default all).") var kinds: String?
    @Option(help: "Jobs run at once (env BLOCKFLEET_WORKER_CONCURRENCY; default 4).") var concurrency: Int?
    @Option(name: .customLong("lease-seconds"), help: "Lease length (env BLOCKFLEET_LEASE_SECONDS; default 60).") var leaseSeconds: String?
    @Option(name: .customLong("heartbeat-seconds"), help: "Heartbeat period (env BLOCKFLEET_HEARTBEAT_SECONDS; default lease/3).") var heartbeatSeconds: String?
    @Option(name: .customLong("poll-seconds"), help: "Poll period without NOTIFY (env BLOCKFLEET_POLL_SECONDS; default 5).") var pollSeconds: String?
    @Option(name: .customLong("shutdown-grace-seconds"), help: "Time held jobs get after SIGTERM (env BLOCKFLEET_SHUTDOWN_GRACE_SECONDS; default 25).")
    var shutdownGraceSeconds: String?
    @Option(name: .customLong("http-port"), help: "Port of /metrics, /healthz and /readyz; 0 disables (env BLOCKFLEET_HTTP_PORT; default 9090).")
    var httpPort: String?

    func run() async throws {
        MallocTuning.keepLargeBuffers(keep: 256 << 20)
        let environment = options.environment(overlaying: [
            "BLOCKFLEET_WORKER_ID": ("--id", id), "BLOCKFLEET_WORKER_KINDS": ("--kinds", kinds),
            "BLOCKFLEET_WORKER_CONCURRENCY": ("--concurrency", concurrency.map(String.init)),
            "BLOCKFLEET_LEASE_SECONDS": ("--lease-seconds", leaseSeconds), "BLOCKFLEET_HEARTBEAT_SECONDS": ("--heartbeat-seconds", heartbeatSeconds),
            "BLOCKFLEET_POLL_SECONDS": ("--poll-seconds", pollSeconds), "BLOCKFLEET_SHUTDOWN_GRACE_SECONDS": ("--shutdown-grace-seconds", shutdownGraceSeconds),
            "BLOCKFLEET_HTTP_PORT": ("--http-port", httpPort),
        ])
        let logger = try options.logger(environment, label: "blockfleet.worker")
        let configuration = try CommonOptions.reportingFlags {
            try WorkerApplicationConfiguration(environment: environment, database: try options.database(environment, applicationName: "blockfleet-worker"))
        }
        try await WorkerApplication.build(configuration: configuration, logger: logger).run()
    }
}
