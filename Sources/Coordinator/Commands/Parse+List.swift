// `coordinator parse list`: every definition with its table, type, contracts and dependencies.

import ArgumentParser
import Foundation
import Shared

extension Parse {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print every table definition the workers would decode; exits 1 naming each refused file.")
        @Option(name: .customLong("parse-dir"), help: "Definitions folder (env BLOCKFLEET_PARSE_DIR).") var parseDir: String?
        @Flag(help: "Print the result as JSON.") var json = false

        func run() async throws {
            let listing = DecodedTableListing(try Parse.catalog(parseDir))
            if json {
                try printJSON(listing)
            } else if !listing.definitions.isEmpty {
                print(listing.text)
            }
            guard listing.refused.isEmpty else {
                for refusal in listing.refused {
                    FileHandle.standardError.write(Data("refused: \(refusal.file): \(refusal.code): \(refusal.reason)\n".utf8))
                }
                throw ExitCode(1)
            }
        }
    }
}
