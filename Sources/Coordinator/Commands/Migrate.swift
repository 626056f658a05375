// `coordinator migrate`: creates or upgrades the queue schema.

import ArgumentParser
import Shared

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create or upgrade the queue schema (safe to run from several processes at once).")
    @OptionGroup var options: CommonOptions

    func run() async throws {
        try await withQueue(options, direct: true) { queue, logger in
            let applied = try await SchemaMigrator(client: queue.client, logger: logger).migrate()
            print(applied.isEmpty ? "schema is up to date" : "applied migrations \(applied.map(String.init).joined(separator: ", "))")
        }
    }
}
