// `coordinator models`: list the warehouse models and back-fill one over every loaded range.

import ArgumentParser
import Foundation
import Shared

struct Models: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Warehouse models: the built-in enrich models and the SQL files in BLOCKFLEET_MODELS_DIR.",
        subcommands: [List.self, Backfill.self],
        defaultSubcommand: List.self
    )

    /// The catalog the workers would run, read from the same setting; a bad file stops here too.
    static func catalog(_ folder: String?) throws -> ModelCatalog {
        var configuration = try ModelConfiguration(environment: Environment())
        if let folder {
            guard FileManager.default.fileExists(atPath: folder) else { throw ValidationError("--models-dir \(folder) does not exist") }
            configuration.directory = folder
        }
        return try configuration.catalog()
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the models in run order with what they need (checks every model file).")
        @Option(name: .customLong("models-dir"), help: "Models folder (env BLOCKFLEET_MODELS_DIR; default: built-in models only).") var modelsDir: String?
        @Flag(help: "Print the result as JSON.") var json = false

        struct Entry: Encodable {
            let name: String
            let dependsOn: [String]
            let requires: [String]
            let source: String
            let description: String
        }

        func run() async throws {
            let catalog = try Models.catalog(modelsDir)
            let entries = catalog.models.map {
                Entry(name: $0.name, dependsOn: $0.dependsOn, requires: catalog.requirements(of: $0).map(\.rawValue).sorted(),
                      source: $0.source, description: $0.description)
            }
            if json { return try printJSON(entries) }
            for entry in entries {
                print("\(entry.name)\n  requires:   \(entry.requires.joined(separator: ", "))\n  depends on: \(entry.dependsOn.isEmpty ? "-" : entry.dependsOn.joined(separator: ", "))\n  source:     \(entry.source)")
                if !entry.description.isEmpty { print("  \(entry.description)") }
            }
        }
    }

    struct Backfill: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a model (and what depends on it) again on every loaded range, e.g. after adding or changing it.",
            discussion: "Enqueues one model job per range whose export and loads succeeded; model workers apply it there. Exit 3 when no range matched."
        )
        @OptionGroup var options: CommonOptions
        @Argument(help: "Model name (see `coordinator models list`).") var name: String
        @Option(name: .customLong("models-dir"), help: "Models folder (env BLOCKFLEET_MODELS_DIR).") var modelsDir: String?
        @Option(help: "First block of the span (default: all).") var from: Int64?
        @Option(help: "Last block of the span (default: all).") var to: Int64?
        @Option(help: "Lower runs first.") var priority: Int = 100
        @Flag(help: "Print the result as JSON.") var json = false

        func validate() throws {
            if let from, from < 0 { throw ValidationError("--from must be a block number (>= 0), got \(from)") }
            if let from, let to, to < from { throw ValidationError("--to (\(to)) is below --from (\(from))") }
        }

        func run() async throws {
            let catalog = try Models.catalog(modelsDir)
            guard catalog.model(named: name) != nil else {
                throw ValidationError("no model named '\(name)'; models: \(catalog.models.map(\.name).joined(separator: ", "))")
            }
            let (name, from, to, priority) = (name, from ?? 0, to ?? Int64.max, priority)
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
