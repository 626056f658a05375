// `coordinator`: the queue's admin CLI and the leader service.

import ArgumentParser
import Shared

@main
struct CoordinatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coordinator",
        abstract: "Plans block ranges into the BlockFleet queue, keeps it healthy, and shows its state.",
        version: BlockFleet.version,
        subcommands: [
            Migrate.self, Plan.self, Follow.self, Status.self, Jobs.self, Retry.self, Cancel.self,
            Pause.self, Resume.self, Workers.self, Gaps.self, Requeue.self, Reap.self, Models.self, Parse.self, Lake.self, Serve.self,
        ]
    )
}
