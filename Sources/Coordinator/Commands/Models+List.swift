// `coordinator models list`: the models in run order with what each needs.

import ArgumentParser
import Shared

extension Models {
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
}
