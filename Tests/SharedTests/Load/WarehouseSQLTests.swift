// The warehouse SQL, checked as text: Redshift is not available here, so its statements are
// asserted exactly; the Postgres ones also run in the integration tests.

import Foundation
import Shared
import Testing

@Suite("Warehouse SQL")
struct WarehouseSQLTests {
    static let request = LoadRequest(
        staging: "s3://lake/eth",
        manifest: "eth/_manifests/0000001000-0000001999/j7-a3.json",
        file: .init(entity: "token_transfers", key: "eth/token_transfers/0000001000-0000001999/j7-a3.csv.gz", rows: 12, bytes: 345, sha256: "ab", format: "csv"),
        attempt: 3, copyManifest: "eth/token_transfers/0000001000-0000001999/j7-a3.csv.gz.copy-manifest.json"
    )

    @Test("Redshift load: lock, temp table, COPY from the attempt's exact manifest with the role, count, delete+insert of the range")
    func redshiftPlan() async throws {
        let plan = try RedshiftLoadPlan(
            request: WarehouseSQLTests.request, table: .of(.tokenTransfers), schema: "ethereum",
            manifestURL: "s3://lake/eth/token_transfers/0000001000-0000001999/j7-a3.csv.gz.copy-manifest.json",
            iamRole: "arn:aws:iam::123456789012:role/blockfleet-redshift-copy", region: "eu-west-1"
        )
        #expect(plan.lock == #"LOCK "ethereum"."token_transfers""#)
        #expect(plan.dropStaging == #"DROP TABLE IF EXISTS "blockfleet_load_token_transfers""#)
        #expect(plan.createStaging == #"CREATE TEMP TABLE "blockfleet_load_token_transfers" (LIKE "ethereum"."token_transfers")"#)
        #expect(plan.copy == #"COPY "blockfleet_load_token_transfers" ("token_address", "from_address", "to_address", "value", "transaction_hash", "log_index", "block_number") FROM 's3://lake/eth/token_transfers/0000001000-0000001999/j7-a3.csv.gz.copy-manifest.json' IAM_ROLE 'arn:aws:iam::123456789012:role/blockfleet-redshift-copy' MANIFEST CSV GZIP IGNOREHEADER 1 EMPTYASNULL TRUNCATECOLUMNS COMPUPDATE OFF STATUPDATE OFF REGION 'eu-west-1'"#)
        #expect(plan.countCopied == "SELECT pg_last_copy_count()")
        #expect(plan.deleteRange == #"DELETE FROM "ethereum"."token_transfers" WHERE "block_number" BETWEEN $1 AND $2"#)
        // sqlglot's Redshift dialect reads the COPY (with MANIFEST) as a COPY, not an opaque command.
        if let problems = try await RedshiftDialectTests.parseProblems([plan.copy, plan.deleteRange, plan.countCopied]) {
            #expect(problems.isEmpty, "\(problems)")
        }
        #expect(plan.insert == #"INSERT INTO "ethereum"."token_transfers" ("token_address", "from_address", "to_address", "value", "transaction_hash", "log_index", "block_number") SELECT "token_address", "from_address", "to_address", "value", "transaction_hash", "log_index", "block_number" FROM "blockfleet_load_token_transfers""#)
    }

    @Test("Redshift load from the lake: a temp table shaped like the Parquet files, COPY … MANIFEST FORMAT AS PARQUET, an INSERT converting by name; sqlglot parses all")
    func redshiftLakePlan() async throws {
        var request = WarehouseSQLTests.request
        request.lakeCopyManifest = "eth/transactions/0000001000-0000001999/j7-a3.csv.gz.lake-copy-manifest.json"
        let plan = try RedshiftLoadPlan(
            request: request, table: .of(.transactions), schema: "ethereum",
            manifestURL: "s3://lake/eth/transactions/0000001000-0000001999/j7-a3.csv.gz.lake-copy-manifest.json",
            iamRole: "arn:aws:iam::123456789012:role/blockfleet-redshift-copy", region: nil, source: .lake
        )
        #expect(plan.copy == #"COPY "blockfleet_lake_load_transactions" FROM 's3://lake/eth/transactions/0000001000-0000001999/j7-a3.csv.gz.lake-copy-manifest.json' IAM_ROLE 'arn:aws:iam::123456789012:role/blockfleet-redshift-copy' MANIFEST FORMAT AS PARQUET"#)
        #expect(plan.dropStaging == #"DROP TABLE IF EXISTS "blockfleet_lake_load_transactions""#)
        // COPY maps Parquet columns by position: the temp table has the files' columns, in their order.
        for entity in ExportEntity.allCases {
            let create = RedshiftSQL.createParquetStaging(.of(entity))
            let lines = create.split(separator: "\n").dropFirst().dropLast().map { $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: ",")) }
            let expected = EntityParquetSchema.of(entity).schema.columns.map { column -> String in
                let type = switch column.type {
                case .int64: "BIGINT"
                case .timestamp: "TIMESTAMP"
                case .boolean: "BOOLEAN"
                default: "VARCHAR(65535)"
                }
                return "\"\(column.name)\" \(type)"
            }
            #expect(lines == expected, "\(entity.rawValue)")
        }
        // Transactions' block_timestamp is a TIMESTAMP in the files and ethereum-etl's integer in the table.
        #expect(plan.insert.contains(#"CAST(EXTRACT(EPOCH FROM "block_timestamp") AS BIGINT)"#))
        #expect(plan.insert.contains(#"NULLIF("input", '')"#) && plan.insert.hasSuffix(#"FROM "blockfleet_lake_load_transactions""#))
        #expect(plan.insert.hasPrefix(#"INSERT INTO "ethereum"."transactions" ("hash", "nonce", "#))
        // Blocks: the files' extra block_timestamp is not inserted; wei text becomes NUMERIC(38,0).
        let blocks = RedshiftSQL.insertFromParquetStaging(.of(.blocks), schema: "ethereum")
        #expect(!blocks.contains("block_timestamp") && blocks.contains(#"CAST(NULLIF("total_difficulty", '') AS NUMERIC(38,0))"#), "\(blocks)")
        #expect(throws: LoadError.self) {
            try RedshiftSQL.copyParquet(.of(.logs), manifest: "s3://lake/x' CREDENTIALS 'y", iamRole: "arn:aws:iam::1:role/r", region: nil)
        }
        var texts = [plan.copy, plan.dropStaging, plan.insert, blocks]
        texts += ExportEntity.allCases.map { RedshiftSQL.createParquetStaging(.of($0)) }
        texts += ExportEntity.allCases.map { RedshiftSQL.insertFromParquetStaging(.of($0), schema: "ethereum") }
        if let problems = try await RedshiftDialectTests.parseProblems(texts) {
            #expect(problems.isEmpty, "\(problems)")
        }
    }

    @Test("Spectrum partitions: with a Spectrum schema a load registers the lake's date folders of its range (sqlglot parses them); odd dates or folders are refused")
    func spectrumPartitions() async throws {
        var request = WarehouseSQLTests.request
        request.lakePartitions = ["2024-03-13", "2024-03-14"].map {
            LoadRequest.LakePartition(blockDate: $0, folder: "s3://lake/eth/lake/token_transfers/block_date=\($0)/")
        }
        let plan = { (schema: String?, request: LoadRequest) throws(LoadError) in
            try RedshiftLoadPlan(request: request, table: .of(.tokenTransfers), schema: "ethereum", manifestURL: "s3://lake/eth/m.json",
                                 iamRole: "arn:aws:iam::123456789012:role/copy", region: nil, spectrumSchema: schema)
        }
        let statements = try plan("blockfleet_lake", request).addPartitions
        #expect(statements == [
            #"ALTER TABLE "blockfleet_lake"."token_transfers" ADD IF NOT EXISTS PARTITION ("block_date" = '2024-03-13') LOCATION 's3://lake/eth/lake/token_transfers/block_date=2024-03-13/'"#,
            #"ALTER TABLE "blockfleet_lake"."token_transfers" ADD IF NOT EXISTS PARTITION ("block_date" = '2024-03-14') LOCATION 's3://lake/eth/lake/token_transfers/block_date=2024-03-14/'"#,
        ])
        // The same statement `coordinator lake ddl --dialect spectrum` prints for that day.
        let catalog = try LakeCatalog(location: .s3(bucket: "lake", prefix: "eth/lake"), partitionDates: BlockDate(parsing: "2024-03-13")!...BlockDate(parsing: "2024-03-13")!)
        #expect(try catalog.statements(.spectrum).contains(statements[0]))
        #expect(try plan(nil, request).addPartitions.isEmpty, "no Spectrum schema: no partitions")
        var none = request
        none.lakePartitions = nil
        #expect(try plan("blockfleet_lake", none).addPartitions.isEmpty, "a request without lake partitions: none")
        for (date, folder) in [("2024-3-13", "s3://lake/eth/lake/token_transfers/block_date=2024-3-13/"),
                               ("2024-03-13", "s3://lake/eth/lake/logs/block_date=2024-03-13/"),
                               ("2024-03-13", "s3://lake/x' CREDENTIALS 'y/token_transfers/block_date=2024-03-13/"),
                               ("2024-03-13", "file:///lake/token_transfers/block_date=2024-03-13/"),
                               ("2024-03-13", "s3://lake/eth/lake/token_transfers/block_date=2024-03-14/")] {
            var bad = request
            bad.lakePartitions = [LoadRequest.LakePartition(blockDate: date, folder: folder)]
            #expect(throws: LoadError.self, "\(date) \(folder)") { try plan("blockfleet_lake", bad) }
        }
        if let problems = try await RedshiftDialectTests.parseProblems(statements) {
            #expect(problems.isEmpty, "\(problems)")
        }
        // The setting: an identifier, Redshift only.
        let queue = try DatabaseConfiguration(url: "postgres://u@db:5432/q")
        let redshift = ["BLOCKFLEET_WAREHOUSE_URL": "redshift://u:p@cluster.example/dev", "BLOCKFLEET_REDSHIFT_IAM_ROLE": "arn:aws:iam::123456789012:role/copy"]
        #expect(try WarehouseConfiguration(environment: Environment(redshift), queueDatabase: queue).spectrumSchema == nil)
        #expect(try WarehouseConfiguration(environment: Environment(redshift.merging(["BLOCKFLEET_REDSHIFT_SPECTRUM_SCHEMA": "blockfleet_lake"]) { $1 }), queueDatabase: queue).spectrumSchema == "blockfleet_lake")
        #expect { try WarehouseConfiguration(environment: Environment(redshift.merging(["BLOCKFLEET_REDSHIFT_SPECTRUM_SCHEMA": "Lake; DROP"]) { $1 }), queueDatabase: queue) } throws: {
            ($0 as? ConfigurationError)?.setting == "BLOCKFLEET_REDSHIFT_SPECTRUM_SCHEMA"
        }
        #expect { try WarehouseConfiguration(environment: Environment(["BLOCKFLEET_REDSHIFT_SPECTRUM_SCHEMA": "blockfleet_lake"]), queueDatabase: queue) } throws: {
            ($0 as? ConfigurationError)?.setting == "BLOCKFLEET_REDSHIFT_SPECTRUM_SCHEMA"
        }
    }

    @Test("BLOCKFLEET_REDSHIFT_COPY_FROM: staging by default, lake for Redshift, refused with Postgres or a typo")
    func copyFromSetting() throws {
        let queue = try DatabaseConfiguration(url: "postgres://u@db:5432/q")
        let redshift = ["BLOCKFLEET_WAREHOUSE_URL": "redshift://u:p@cluster.example/dev", "BLOCKFLEET_REDSHIFT_IAM_ROLE": "arn:aws:iam::123456789012:role/copy"]
        #expect(try WarehouseConfiguration(environment: Environment(redshift), queueDatabase: queue).copyFrom == .staging)
        #expect(try WarehouseConfiguration(environment: Environment(redshift.merging(["BLOCKFLEET_REDSHIFT_COPY_FROM": "lake"]) { $1 }), queueDatabase: queue).copyFrom == .lake)
        #expect { try WarehouseConfiguration(environment: Environment(redshift.merging(["BLOCKFLEET_REDSHIFT_COPY_FROM": "parquet"]) { $1 }), queueDatabase: queue) } throws: {
            ($0 as? ConfigurationError)?.setting == "BLOCKFLEET_REDSHIFT_COPY_FROM" && "\($0)".contains("staging, lake")
        }
        #expect { try WarehouseConfiguration(environment: Environment(["BLOCKFLEET_REDSHIFT_COPY_FROM": "lake"]), queueDatabase: queue) } throws: {
            ($0 as? ConfigurationError)?.setting == "BLOCKFLEET_REDSHIFT_COPY_FROM"
        }
    }

    @Test("Redshift DDL: seed-style DISTKEY and a block-first SORTKEY; uint256 as text, wei as NUMERIC(38,0)")
    func redshiftDDL() {
        #expect(RedshiftSQL.createTable(.of(.tokenTransfers), schema: "ethereum") == """
        CREATE TABLE IF NOT EXISTS "ethereum"."token_transfers" (
            "token_address" VARCHAR(65535),
            "from_address" VARCHAR(65535),
            "to_address" VARCHAR(65535),
            "value" VARCHAR(78),
            "transaction_hash" VARCHAR(65535),
            "log_index" BIGINT,
            "block_number" BIGINT
        )
        DISTKEY ("block_number")
        COMPOUND SORTKEY ("block_number", "log_index")
        """)
        let blocks = RedshiftSQL.createTable(.of(.blocks), schema: "ethereum")
        #expect(blocks.contains(#""total_difficulty" NUMERIC(38,0)"#))
        #expect(blocks.hasSuffix("DISTKEY (\"number\")\nCOMPOUND SORTKEY (\"number\")"))
        #expect(RedshiftSQL.createTable(.of(.contracts), schema: "ethereum").contains("DISTKEY (\"address\")"))
    }

    @Test("COPY refuses a source or role that could end the quoted literal")
    func literals() {
        #expect(throws: LoadError.self) {
            try RedshiftSQL.copy(.of(.logs), manifest: "s3://lake/x' CREDENTIALS 'y", iamRole: "arn:aws:iam::1:role/r", region: nil)
        }
        #expect(throws: LoadError.self) {
            try RedshiftSQL.copy(.of(.logs), manifest: "file:///tmp/x.csv.gz", iamRole: "arn:aws:iam::1:role/r", region: nil)
        }
        #expect(throws: LoadError.self) {
            try RedshiftSQL.copy(.of(.logs), manifest: "s3://lake/x.csv.gz", iamRole: "arn:aws:iam::1:role/r'--", region: nil)
        }
    }

    @Test("Postgres DDL: NUMERIC(78,0) for uint256, BIGINT block numbers, an index on the range column")
    func postgresDDL() {
        #expect(PostgresWarehouseSQL.createTable(.of(.tokenTransfers), schema: "ethereum") == """
        CREATE TABLE IF NOT EXISTS "ethereum"."token_transfers" (
            "token_address" TEXT,
            "from_address" TEXT,
            "to_address" TEXT,
            "value" NUMERIC(78,0),
            "transaction_hash" TEXT,
            "log_index" BIGINT,
            "block_number" BIGINT
        )
        """)
        #expect(PostgresWarehouseSQL.createRangeIndex(.of(.blocks), schema: "ethereum") == #"CREATE INDEX IF NOT EXISTS "blocks_number_idx" ON "ethereum"."blocks" ("number")"#)
        #expect(WarehouseTable.of(.contracts).columns.first { $0.name == "is_erc20" }?.type == .boolean)
        for entity in ExportEntity.allCases {
            #expect(WarehouseTable.of(entity).columnNames == EntityColumns.of(entity).names, "\(entity): ethereum-etl's columns, in order")
        }
    }

    @Test("warehouse settings: queue database by default, redshift:// needs a role, TLS and port 5439 by default")
    func configuration() throws {
        let queue = try DatabaseConfiguration(url: "postgres://u@db:5432/q?sslmode=disable&schema=queue")
        let local = try WarehouseConfiguration(environment: Environment([:]), queueDatabase: queue)
        #expect(local.dialect == .postgres && local.database.host == "db" && local.database.schema == nil && local.schema == "ethereum")

        #expect {
            try WarehouseConfiguration(environment: Environment(["BLOCKFLEET_WAREHOUSE_URL": "redshift://u:p@cluster.example/dev"]), queueDatabase: queue)
        } throws: { error in
            (error as? ConfigurationError)?.setting == "BLOCKFLEET_REDSHIFT_IAM_ROLE"
        }
        let redshift = try WarehouseConfiguration(environment: Environment([
            "BLOCKFLEET_WAREHOUSE_URL": "redshift://u:secret@cluster.example/dev",
            "BLOCKFLEET_REDSHIFT_IAM_ROLE": "arn:aws:iam::123456789012:role/copy",
            "BLOCKFLEET_WAREHOUSE_SCHEMA": "eth",
        ]), queueDatabase: queue)
        #expect(redshift.dialect == .redshift && redshift.database.port == 5439 && redshift.database.sslMode == .require && redshift.schema == "eth")
        #expect(!redshift.database.description.contains("secret"))
        #expect(throws: ConfigurationError.self) {
            try WarehouseConfiguration(environment: Environment(["BLOCKFLEET_WAREHOUSE_SCHEMA": "Bad-Name"]), queueDatabase: queue)
        }
    }
}
