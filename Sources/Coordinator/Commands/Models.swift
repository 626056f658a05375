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
}
