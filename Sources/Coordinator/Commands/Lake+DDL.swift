// `coordinator lake ddl`: the external tables of every entity, made from the Parquet schema.

import ArgumentParser
import Shared

extension LakeDialect: ExpressibleByArgument {}

extension Lake {
    struct DDL: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the lake's table definitions for every entity, from the same schema the export writes.",
            discussion: """
            athena: CREATE EXTERNAL TABLE with partition projection on block_date (no crawler needed).
            spectrum: CREATE EXTERNAL SCHEMA/TABLE, plus ALTER TABLE … ADD PARTITION for each day of --from-date…--to-date (Spectrum ignores projection).
            duckdb: views over read_parquet(…, hive_partitioning = true).
            glue: the Glue tables as JSON (terraform/modules/lake-catalog/tables.json is this output).
            """
        )
        @Option(help: "athena, spectrum, duckdb or glue.") var dialect: LakeDialect
        @Option(help: "The lake: s3://bucket/prefix (or file:///path for duckdb) (default: env BLOCKFLEET_LAKE_URL).") var location: String?
        @Option(help: "Glue/Athena database, Spectrum external schema, DuckDB schema.") var database: String = LakeCatalog.defaultDatabase
        @Option(name: .customLong("projection-start"), help: "Athena: first day of block_date's projection range, YYYY-MM-DD (default: mainnet genesis, 2015-07-30).")
        var projectionStart: String?
        @Option(name: .customLong("iam-role"), help: "Spectrum: the external schema's IAM role ARN (default: the cluster's default role).") var iamRole: String?
        @Option(name: .customLong("from-date"), help: "Spectrum: first day whose partitions to add, YYYY-MM-DD.") var fromDate: String?
        @Option(name: .customLong("to-date"), help: "Spectrum: last day whose partitions to add, YYYY-MM-DD (default: --from-date).") var toDate: String?
        @Flag(name: .customLong("glue-tables-exist"), help: "Spectrum: the Glue tables exist (Terraform made them); print the schema and partitions only.")
        var glueTablesExist = false

        func run() async throws {
            let text: String
            do {
                text = try catalog().ddl(dialect)
            } catch {
                throw ValidationError(error.message)
            }
            print(text, terminator: "")
        }

        func catalog() throws(LakeCatalogError) -> LakeCatalog {
            let setting = location == nil ? "BLOCKFLEET_LAKE_URL" : "--location"
            var lake: StagingLocation?
            if let text = location ?? Environment().string("BLOCKFLEET_LAKE_URL") {
                do { lake = try StagingLocation(parsing: text, setting: setting) } catch {
                    throw LakeCatalogError(.invalidLocation, error.description)
                }
            }
            var start = LakeCatalog.mainnetGenesis
            if let projectionStart {
                guard let day = BlockDate(text: projectionStart) else {
                    throw LakeCatalogError(.invalidDates, "--projection-start '\(projectionStart)' is not a date YYYY-MM-DD")
                }
                start = day
            }
            var dates: ClosedRange<BlockDate>?
            if fromDate != nil || toDate != nil {
                guard dialect == .spectrum else { throw LakeCatalogError(.invalidDates, "--from-date/--to-date add Spectrum partitions; use them with --dialect spectrum") }
                guard let fromDate, let first = BlockDate(text: fromDate) else {
                    throw LakeCatalogError(.invalidDates, "--from-date '\(fromDate ?? "")' is not a date YYYY-MM-DD (it is needed with --to-date)")
                }
                guard let last = toDate.map({ BlockDate(text: $0) }) ?? first else {
                    throw LakeCatalogError(.invalidDates, "--to-date '\(toDate ?? "")' is not a date YYYY-MM-DD")
                }
                guard first <= last else { throw LakeCatalogError(.invalidDates, "--from-date \(first) is after --to-date \(last)") }
                guard last.days - first.days < 3_660 else { throw LakeCatalogError(.invalidDates, "--from-date…--to-date spans more than ten years; add partitions in smaller spans") }
                dates = first...last
            }
            var catalog = try LakeCatalog(location: lake, database: database, projectionStart: start, iamRole: iamRole, partitionDates: dates)
            catalog.glueTablesExist = glueTablesExist
            return catalog
        }
    }
}
