// The lake's catalog DDL (coordinator lake ddl): every column of EntityParquetSchema with the
// dialect's type, parsed by sqlglot; Athena's projection; Spectrum's shape; Glue's committed JSON.

import Foundation
import Testing
@testable import Shared

@Suite("the lake's catalog DDL")
struct LakeCatalogTests {
    static let lake = StagingLocation.s3(bucket: "eth-lake", prefix: "mainnet/lake")

    /// The type each dialect must give a Parquet column, as sqlglot prints it (written out here,
    /// not taken from LakeCatalog, so a wrong mapping there fails).
    static func expectedType(_ type: ParquetColumnType, _ dialect: LakeDialect) -> String {
        switch (type, dialect) {
        case (.int64, _): "BIGINT"
        case (.boolean, _): "BOOLEAN"
        case (.timestamp, _): "TIMESTAMP"
        case (.string, .spectrum): "VARCHAR(65535)"
        case (.string, _): "STRING"
        case (.bytes, .spectrum): "VARBYTE(65535)"
        case (.bytes, _): "BINARY"
        case (.decimal(let p, let s), _): "DECIMAL(\(p),\(s))"
        }
    }

    /// sqlglot's reading of `statements` (lake_ddl_parse.py), or nil when sqlglot is not installed.
    static func parse(_ statements: [String], dialect: String) async throws -> [[String: Any]]? {
        guard let output = try await SQLGlotScript.run("lake_ddl_parse.py", input: ["dialect": dialect, "statements": statements]) else { return nil }
        return try #require(output as? [[String: Any]])
    }

    static func columns(_ entry: [String: Any], key: String = "columns") -> [[String]] {
        ((entry[key] as? [[Any]]) ?? []).map { $0.map { ($0 as? String ?? "").replacingOccurrences(of: " ", with: "") } }
    }

    /// The columns a table must have: the entity's Parquet columns in file order.
    static func expectedColumns(_ entity: ExportEntity, _ dialect: LakeDialect) -> [[String]] {
        EntityParquetSchema.of(entity).schema.columns.map { [$0.name, expectedType($0.type, dialect)] }
    }

    @Test("Athena: CREATE DATABASE and a table per entity that sqlglot's Athena dialect parses, every Parquet column with its Hive type, partitioned by block_date DATE")
    func athenaParses() async throws {
        let statements = try LakeCatalog(location: Self.lake).statements(.athena)
        #expect(statements.count == 1 + ExportEntity.allCases.count)
        guard let parsed = try await Self.parse(statements, dialect: "athena") else { return }
        #expect(parsed.allSatisfy { $0["error"] is NSNull && ($0["opaque"] as? Bool) == false }, "\(parsed)")
        #expect(parsed.first?["kind"] as? String == "Create")
        for (entity, entry) in zip(ExportEntity.allCases, parsed.dropFirst()) {
            #expect(Self.columns(entry) == Self.expectedColumns(entity, .athena), "\(entity.rawValue)")
            #expect(Self.columns(entry, key: "partitions") == [["block_date", "DATE"]], "\(entity.rawValue)")
        }
    }

    @Test("Athena: partition projection on block_date (date, yyyy-MM-dd, range to NOW, the lake's folder template), so no crawler is needed")
    func athenaProjection() throws {
        var catalog = try LakeCatalog(location: Self.lake)
        catalog.projectionStart = try #require(BlockDate(text: "2024-03-13"))
        let logs = try #require(try catalog.statements(.athena).first { $0.contains("`logs`") })
        for property in [
            "'projection.enabled' = 'true'", "'projection.block_date.type' = 'date'", "'projection.block_date.format' = 'yyyy-MM-dd'",
            "'projection.block_date.range' = '2024-03-13,NOW'", "'projection.block_date.interval.unit' = 'DAYS'",
            "'storage.location.template' = 's3://eth-lake/mainnet/lake/logs/block_date=${block_date}/'",
            "LOCATION 's3://eth-lake/mainnet/lake/logs/'", "STORED AS PARQUET",
        ] {
            #expect(logs.contains(property), "\(property) missing from \(logs)")
        }
        #expect(try LakeCatalog(location: Self.lake).statements(.athena)[1].contains("'projection.block_date.range' = '2015-07-30,NOW'"))
    }

    @Test("Spectrum: the external schema, a table per entity (column list parsed by sqlglot's Redshift dialect), ALTER TABLE … ADD PARTITION per day parsed too")
    func spectrumParses() async throws {
        var catalog = try LakeCatalog(location: Self.lake, iamRole: "arn:aws:iam::123456789012:role/blockfleet-spectrum")
        catalog.partitionDates = try #require(BlockDate(text: "2024-02-28"))...(try #require(BlockDate(text: "2024-03-01")))
        let statements = try catalog.statements(.spectrum)
        let entities = ExportEntity.allCases
        // The schema, then per entity its table and its three days (2024 is a leap year).
        #expect(statements.count == 1 + entities.count * 4)
        #expect(statements.first == "CREATE EXTERNAL SCHEMA IF NOT EXISTS \"blockfleet_lake\" FROM DATA CATALOG DATABASE 'blockfleet_lake' IAM_ROLE 'arn:aws:iam::123456789012:role/blockfleet-spectrum' CREATE EXTERNAL DATABASE IF NOT EXISTS")
        let tables = statements.filter { $0.hasPrefix("CREATE EXTERNAL TABLE") }
        let partitions = statements.filter { $0.hasPrefix("ALTER TABLE") }
        #expect(tables.count == entities.count && partitions.count == entities.count * 3)
        for (entity, table) in zip(entities, tables) {
            #expect(table.hasPrefix("CREATE EXTERNAL TABLE \"blockfleet_lake\".\"\(entity.rawValue)\" (\n"))
            #expect(table.hasSuffix(")\nPARTITIONED BY (\"block_date\" DATE)\nSTORED AS PARQUET\nLOCATION 's3://eth-lake/mainnet/lake/\(entity.rawValue)/'\nTABLE PROPERTIES ('surplus_char_handling' = 'TRUNCATE')"), "\(table)")
        }
        #expect(partitions.contains("ALTER TABLE \"blockfleet_lake\".\"traces\" ADD IF NOT EXISTS PARTITION (\"block_date\" = '2024-02-29') LOCATION 's3://eth-lake/mainnet/lake/traces/block_date=2024-02-29/'"))
        guard let parsed = try await Self.parse(statements, dialect: "redshift") else { return }
        #expect(parsed.allSatisfy { $0["error"] is NSNull }, "\(parsed)")
        let parsedTables = parsed.enumerated().filter { statements[$0.offset].hasPrefix("CREATE EXTERNAL TABLE") }.map(\.element)
        for (entity, entry) in zip(entities, parsedTables) {
            #expect(Self.columns(entry) == Self.expectedColumns(entity, .spectrum), "\(entity.rawValue)")
        }
        let parsedPartitions = parsed.enumerated().filter { statements[$0.offset].hasPrefix("ALTER TABLE") }.map(\.element)
        #expect(parsedPartitions.allSatisfy { $0["kind"] as? String == "Alter" }, "\(parsedPartitions)")

        // With Terraform's Glue tables: the schema and the partitions only; the default role.
        var existing = try LakeCatalog(location: Self.lake)
        existing.glueTablesExist = true
        existing.partitionDates = catalog.partitionDates
        let short = try existing.statements(.spectrum)
        #expect(short.first?.hasSuffix("IAM_ROLE default CREATE EXTERNAL DATABASE IF NOT EXISTS") == true)
        #expect(short.dropFirst() == partitions[...])
    }

    @Test("DuckDB: a view per entity selecting every Parquet column and block_date, from read_parquet with Hive partitioning; parsed by sqlglot")
    func duckDBParses() async throws {
        let statements = try LakeCatalog(location: .file(root: "/data/lake")).statements(.duckdb)
        guard let parsed = try await Self.parse(statements, dialect: "duckdb") else { return }
        #expect(parsed.allSatisfy { $0["error"] is NSNull && ($0["opaque"] as? Bool) == false }, "\(parsed)")
        for (entity, (text, entry)) in zip(ExportEntity.allCases, zip(statements.dropFirst(), parsed.dropFirst())) {
            let names = Self.columns(entry).map { $0[0] }
            #expect(names == EntityParquetSchema.of(entity).schema.columns.map(\.name) + ["block_date"], "\(entity.rawValue)")
            #expect(text.contains("read_parquet('/data/lake/\(entity.rawValue)/block_date=*/*.parquet', hive_partitioning = true, hive_types = {'block_date': DATE}"))
        }
        let s3 = try LakeCatalog(location: Self.lake).statements(.duckdb)
        #expect(s3[1].contains("read_parquet('s3://eth-lake/mainnet/lake/blocks/block_date=*/*.parquet'"))
    }

    @Test("a column added to an entity's Parquet schema but missing from a DDL fails: the checks compare with the schema, not the DDL")
    func checksSeeMissingColumns() async throws {
        // The same comparison as above, against a DDL with one column removed.
        let statements = try LakeCatalog(location: Self.lake).statements(.athena)
        let blocks = statements[1].replacingOccurrences(of: "  `nonce` STRING,\n", with: "")
        #expect(blocks != statements[1])
        guard let parsed = try await Self.parse([blocks], dialect: "athena") else { return }
        #expect(Self.columns(parsed[0]) != Self.expectedColumns(.blocks, .athena))
    }

    @Test("Glue: terraform/modules/lake-catalog/tables.json is what `coordinator lake ddl --dialect glue` prints now, every Parquet column with its Glue type")
    func glueFileIsCurrent() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let committed = try String(contentsOf: root.appendingPathComponent("terraform/modules/lake-catalog/tables.json"), encoding: .utf8)
        #expect(committed == LakeCatalog.glueTables(), "regenerate: coordinator lake ddl --dialect glue > terraform/modules/lake-catalog/tables.json")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(committed.utf8)) as? [String: Any])
        let tables = try #require(document["tables"] as? [String: [String: [[String: String]]]])
        #expect(Set(tables.keys) == Set(ExportEntity.allCases.map(\.rawValue)))
        for entity in ExportEntity.allCases {
            let columns = (tables[entity.rawValue]?["columns"] ?? []).map { [$0["name"] ?? "", ($0["type"] ?? "").uppercased()] }
            #expect(columns == Self.expectedColumns(entity, .glue), "\(entity.rawValue)")
        }
        #expect(document["partition_keys"] as? [[String: String]] == [["name": "block_date", "type": "date"]])
    }

    @Test("bad input is refused with the flag named: Athena/Spectrum over a folder, no location, a bad database, an IAM role that is not an ARN, odd characters")
    func badInput() throws {
        #expect(throws: LakeCatalogError(.invalidLocation, "athena reads the lake from S3; --location must be s3://bucket/prefix, got file:///tmp/lake")) {
            try LakeCatalog(location: .file(root: "/tmp/lake")).ddl(.athena)
        }
        #expect { try LakeCatalog(location: nil).ddl(.spectrum) } throws: { ($0 as? LakeCatalogError)?.code == .missingLocation }
        #expect { try LakeCatalog(location: nil).ddl(.duckdb) } throws: { ($0 as? LakeCatalogError)?.code == .missingLocation }
        #expect { try LakeCatalog(location: Self.lake, database: "Bad-Name") } throws: { ($0 as? LakeCatalogError)?.code == .invalidName }
        #expect { try LakeCatalog(location: Self.lake, iamRole: "x' OR 1=1") } throws: { ($0 as? LakeCatalogError)?.code == .invalidName }
        #expect { try LakeCatalog(location: .s3(bucket: "b", prefix: "it's")).ddl(.athena) } throws: { ($0 as? LakeCatalogError)?.code == .invalidLocation }
        #expect { try LakeCatalog(location: .file(root: "/tmp/it's")).ddl(.duckdb) } throws: { ($0 as? LakeCatalogError)?.code == .invalidLocation }
        // Glue's JSON needs no location.
        #expect(try LakeCatalog(location: nil).ddl(.glue) == LakeCatalog.glueTables())
    }

    @Test("dates as flags take: YYYY-MM-DD of real days only, the inverse of BlockDate's text")
    func blockDateText() {
        for days: Int64 in [0, 16_646, 19_795, 19_796, 11_016, -1, 2_932_896] {
            let date = BlockDate(days: days)
            #expect(BlockDate(text: date.description) == date, "\(date)")
        }
        #expect(BlockDate(text: "2015-07-30")?.days == 16_646)
        #expect(BlockDate(text: "2024-02-29")?.days == 19_782)
        for bad in ["2023-02-29", "2024-13-01", "2024-00-10", "2024-1-01", "20240101", "2024-01-32", "yesterday", "", "2024-01-01x", "+024-01-01"] {
            #expect(BlockDate(text: bad) == nil, "\(bad)")
        }
    }
}
