// `coordinator lake`: the Parquet lake's catalog.

import ArgumentParser

struct Lake: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The Parquet lake (BLOCKFLEET_LAKE_URL): table definitions for Athena, Redshift Spectrum, DuckDB and Glue.",
        subcommands: [DDL.self]
    )
}
