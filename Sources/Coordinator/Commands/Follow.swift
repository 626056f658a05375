// `coordinator follow`: one follow-mode step now.

import ArgumentParser
import Shared
import Synchronization

struct Follow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "One follow-mode step now: plan export ranges from the highest planned block up to the nodes' finalized block (or head − confirmations). `serve --follow` does this continuously.")
    @OptionGroup var options: CommonOptions
    @OptionGroup var followOptions: FollowOptions
    @Flag(help: "Print the chain tip and the plan as JSON.") var json = false

    struct Outcome: Encodable {
        let tip: ChainTip
        let plan: PlanResult?
    }

    func run() async throws {
        let environment = options.environment(overlaying: followOptions.overlay)
        let (configuration, nodes) = try CommonOptions.reportingFlags {
            (try FollowConfiguration(environment: environment), try NodePoolConfiguration(environment: environment))
        }
        let outcome = try await HTTPClientService.withClient { http in
            try await withQueue(options) { queue, logger in
                let reader = ChainHeadReader(
                    transport: JSONRPCTransport(http: http, timeout: nodes.timeout), endpoints: nodes.endpoints,
                    confirmations: configuration.confirmations, logger: logger
                )
                let tip = Mutex<ChainTip?>(nil)
                let plan = try await FollowPlanner(queue: queue, reader: reader, configuration: configuration, logger: logger, onTip: { value in tip.withLock { $0 = value } }).step()
                return Outcome(tip: tip.withLock { $0 }!, plan: plan)
            }
        }
        if json {
            try printJSON(outcome)
        } else if let plan = outcome.plan {
            print("planned \(plan.inserted) export jobs over blocks \(plan.firstBlock)…\(plan.lastBlock) (head \(outcome.tip.head), planning target \(outcome.tip.target))")
        } else {
            print("nothing new to plan: planning target \(outcome.tip.target) (head \(outcome.tip.head)) is already planned")
        }
    }
}
