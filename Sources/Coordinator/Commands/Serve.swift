// `coordinator serve`: the leader's services and the operations listener, until SIGTERM.

import ArgumentParser
import Shared

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the coordinator: reaper and pruner under leader election (run several replicas for HA).")
    @OptionGroup var options: CommonOptions
    @Option(name: .customLong("reap-seconds"), help: "Reaper period (env BLOCKFLEET_REAP_SECONDS; default 5).") var reapSeconds: String?
    @Option(name: .customLong("http-port"), help: "Port of /metrics, /healthz, /readyz and the status page; 0 disables (env BLOCKFLEET_HTTP_PORT; default 8080).")
    var httpPort: String?
    @Flag(help: "Follow the chain: plan new export ranges up to the finalized block (env BLOCKFLEET_FOLLOW).") var follow = false
    @Option(name: .customLong("follow-seconds"), help: "How often follow mode reads the chain (env BLOCKFLEET_FOLLOW_SECONDS; default 12).") var followSeconds: String?
    @OptionGroup var followOptions: FollowOptions

    func run() async throws {
        let environment = options.environment(overlaying: followOptions.overlay.merging([
            "BLOCKFLEET_REAP_SECONDS": ("--reap-seconds", reapSeconds), "BLOCKFLEET_HTTP_PORT": ("--http-port", httpPort),
            "BLOCKFLEET_FOLLOW": ("--follow", follow ? "true" : nil), "BLOCKFLEET_FOLLOW_SECONDS": ("--follow-seconds", followSeconds),
        ]) { flag, _ in flag })
        let logger = try options.logger(environment, label: "blockfleet.coordinator")
        let configuration = try CommonOptions.reportingFlags {
            try CoordinatorApplicationConfiguration(environment: environment, database: try options.database(environment, applicationName: "blockfleet-coordinator"))
        }
        try await CoordinatorApplication.build(configuration: configuration, logger: logger).run()
    }
}
