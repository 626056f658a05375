// `coordinator models backfill`: a model (and its dependents) again on every loaded range.

import ArgumentParser
import Shared

extension Models {
    struct Backfill: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a model (and what depends on it) again on every loaded range, e.g. after adding or changing it.",
            discussion: "Enqueues one model job per range whose export and loads succeeded; model workers apply it there. Exit 3 when no range matched."
        )
        @OptionGroup var options: CommonOptions
        @Argument(help: "Model name (see `coordinator models list`).") var name: String
        @Option(name: .customLong("models-dir"), help: "Models folder (env BLOCKFLEET_MODELS_DIR).") var modelsDir: String?
        @OptionGroup var span: BackfillSpan
        @Flag(help: "Print the result as JSON.") var json = false

        func run() async throws {
            let catalog = try Models.catalog(modelsDir)
            guard catalog.model(named: name) != nil else {
                throw ValidationError("no model named '\(name)'; models: \(catalog.models.map(\.name).joined(separator: ", "))")
            }
            let (name, (from, to), priority) = (name, span.blocks, span.priority)
            let ids = try await withQueue(options) { queue, _ in
                try await queue.backfillModels([name], from: from, to: to, priority: priority)
            }
            let rerun = catalog.withDependents([name]).sorted()
            if json {
                try printJSON(["model_jobs": ids.map(String.init), "models": rerun])
            } else {
                print("\(ids.count) model jobs enqueued to run \(rerun.joined(separator: ", ")) again")
            }
            if ids.isEmpty { throw ExitCode(3) }
        }
    }
}
