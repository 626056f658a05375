// `coordinator parse`: the decoded tables (ethereum-etl-airflow table definitions) the workers decode.

import ArgumentParser
import Foundation
import Shared

struct Parse: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Decoded tables: the ethereum-etl-airflow table definitions in BLOCKFLEET_PARSE_DIR.",
        subcommands: [List.self, Backfill.self],
        defaultSubcommand: List.self
    )

    /// The catalog the workers would read, from the same setting or `--parse-dir`.
    static func catalog(_ folder: String?) throws -> DecodedTableCatalog {
        var configuration = try DecodeConfiguration(environment: Environment())
        if let folder { configuration.directory = folder }
        guard let directory = configuration.directory else {
            throw ValidationError("no definitions folder: set BLOCKFLEET_PARSE_DIR or pass --parse-dir")
        }
        do {
            return try DecodedTableCatalog.load(directory: URL(fileURLWithPath: directory))
        } catch {
            throw ValidationError("--parse-dir \(directory): \(error)")
        }
    }
}
