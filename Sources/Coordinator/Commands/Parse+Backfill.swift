// `coordinator parse backfill`: a decoded table again on every loaded range.

import ArgumentParser
import Shared

extension Parse {
    struct Backfill: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Decode a table again on every loaded range, e.g. after adding or changing its definition.",
            discussion: "Enqueues one model job per range whose export and loads succeeded, forcing the table's decoding there (`decode:<dataset>.<table>`). Exit 3 when no range matched."
        )
        @OptionGroup var options: CommonOptions
        @Argument(help: "The table: `dataset.table` or the definition's table_name (see `coordinator parse list`).") var table: String
        @Option(name: .customLong("parse-dir"), help: "Definitions folder (env BLOCKFLEET_PARSE_DIR).") var parseDir: String?
        @OptionGroup var span: BackfillSpan
        @Flag(help: "Print the result as JSON.") var json = false

        func run() async throws {
            let catalog = try Parse.catalog(parseDir)
            let wanted = table.lowercased()
            let matches = catalog.decodable.filter { "\($0.warehouseSchema).\($0.warehouseTable)" == wanted || $0.warehouseTable == wanted }
            guard matches.count == 1, let definition = matches.first else {
                let known = catalog.decodable.map { "\($0.warehouseSchema).\($0.warehouseTable)" }
                throw ValidationError(matches.isEmpty ? "no decoded table named '\(table)'; tables: \(known.joined(separator: ", "))"
                                                      : "'\(table)' names tables of several datasets; write dataset.table")
            }
            let run = DecodeStage.runName(definition)
            let ((from, to), priority) = (span.blocks, span.priority)
            let ids = try await withQueue(options) { queue, _ in
                try await queue.backfillModels([run], from: from, to: to, priority: priority)
            }
            if json {
                try printJSON(["model_jobs": ids.map(String.init), "tables": ["\(definition.warehouseSchema).\(definition.warehouseTable)"]])
            } else {
                print("\(ids.count) model jobs enqueued to decode \(definition.warehouseSchema).\(definition.warehouseTable) again")
            }
            if ids.isEmpty { throw ExitCode(3) }
        }
    }
}
