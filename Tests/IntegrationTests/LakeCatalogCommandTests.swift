// `coordinator lake ddl` as a user runs it: DuckDB's views over a lake a real export wrote, the
// Glue JSON Terraform reads, and bad flags.

import Foundation
import Shared
import Testing

@Suite("coordinator lake ddl", .serialized, .enabled(if: ParquetExportReport.python != nil, ParquetExportReport.skipReason))
struct LakeCatalogCommandTests {
    static func lakeDDL(_ arguments: [String], environment: [String: String] = [:]) async throws -> (status: Int32, output: String, stdout: String) {
        try await Ops.run(FleetProcess.binDirectory.appendingPathComponent("coordinator").path, ["lake", "ddl"] + arguments, environment: environment)
    }

    /// DuckDB's type of each Parquet column read from the lake (written out here, not taken from the code).
    static func duckDBType(_ type: ParquetColumnType) -> String {
        switch type {
        case .int64: "BIGINT"
        case .string: "VARCHAR"
        case .boolean: "BOOLEAN"
        case .timestamp: "TIMESTAMP WITH TIME ZONE"
        case .bytes: "BLOB"
        case .decimal(let p, let s): "DECIMAL(\(p),\(s))"
        }
    }

    @Test("the DuckDB DDL runs in DuckDB over a lake an export job wrote: per entity and block_date the manifest's rows, every column with its type, block_date a DATE")
    func duckDBOverExportedLake() async throws {
        // Blocks 2990…3059 cross 2024-03-14 00:00 UTC (devchain seed 3), so two dates per entity.
        let (node, url) = try await Ops.startDevChain(["--seed", "3", "--blocks", "3100", "--txs-per-block", "4"])
        defer { node.signal(SIGTERM) }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("bf-lake-ddl-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let lake = root.appendingPathComponent("lake")
        _ = try await LakeExportTests().runJob(2990...3059, token: 1, node: url, staging: root.appendingPathComponent("staging"), lake: lake)
        let manifest = try JSONDecoder().decode(LakeManifest.self, from: Data(contentsOf: lake.appendingPathComponent("_manifests/0000002990-0000003059.json")))

        // The location comes from BLOCKFLEET_LAKE_URL when --location is not given.
        let ddl = try await Self.lakeDDL(["--dialect", "duckdb", "--database", "eth"], environment: ["BLOCKFLEET_LAKE_URL": "file://\(lake.path)"])
        try #require(ddl.status == 0, "\(ddl.output)")
        let script = """
        import duckdb, json, sys
        c = duckdb.connect()
        c.execute(sys.stdin.read())
        out = {}
        for entity in sys.argv[1:]:
            counts = c.execute(f'SELECT block_date::VARCHAR, count(*) FROM eth."{entity}" GROUP BY 1 ORDER BY 1').fetchall()
            columns = c.execute(f'DESCRIBE eth."{entity}"').fetchall()
            out[entity] = {"counts": {d: n for d, n in counts}, "columns": [[r[0], r[1]] for r in columns]}
        json.dump(out, sys.stdout)
        """
        let entities = ExportEntity.allCases.map(\.rawValue)
        let result = try await Ops.run(try #require(ParquetExportReport.python), ["-c", script] + entities, input: ddl.stdout)
        try #require(result.status == 0, "DuckDB refused the DDL: \(result.output)")
        let read = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: [String: Any]])
        for entity in ExportEntity.allCases {
            let got = try #require(read[entity.rawValue])
            var expected: [String: Int] = [:]
            for file in manifest.files where file.entity == entity.rawValue { expected[file.blockDate, default: 0] += file.rows }
            #expect(expected.count == 2, "\(entity.rawValue): two dates")
            #expect(got["counts"] as? [String: Int] == expected, "\(entity.rawValue): DuckDB \(String(describing: got["counts"])), manifest \(expected)")
            let columns = (got["columns"] as? [[String]]) ?? []
            let want = EntityParquetSchema.of(entity).schema.columns.map { [$0.name, Self.duckDBType($0.type)] } + [["block_date", "DATE"]]
            #expect(columns == want, "\(entity.rawValue)")
        }
    }

    @Test("`--dialect glue` prints exactly the committed terraform/modules/lake-catalog/tables.json")
    func glueMatchesCommittedFile() async throws {
        let out = try await Self.lakeDDL(["--dialect", "glue"])
        try #require(out.status == 0, "\(out.output)")
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let committed = try String(contentsOf: root.appendingPathComponent("terraform/modules/lake-catalog/tables.json"), encoding: .utf8)
        #expect(out.stdout == committed, "regenerate: coordinator lake ddl --dialect glue > terraform/modules/lake-catalog/tables.json")
    }

    @Test("bad flags stop with a message naming them: an unknown dialect, Athena over a folder, no location, a bad date")
    func badFlags() async throws {
        let unknown = try await Self.lakeDDL(["--dialect", "bigquery"])
        #expect(unknown.status != 0 && unknown.stdout.isEmpty)
        #expect(unknown.output.contains("--dialect") && unknown.output.contains("bigquery") && unknown.output.contains("athena"), "\(unknown.output)")
        let folder = try await Self.lakeDDL(["--dialect", "athena", "--location", "file:///tmp/lake"])
        #expect(folder.status != 0 && folder.output.contains("--location must be s3://bucket/prefix"), "\(folder.output)")
        let nowhere = try await Self.lakeDDL(["--dialect", "spectrum"], environment: ["BLOCKFLEET_LAKE_URL": ""])
        #expect(nowhere.status != 0 && nowhere.output.contains("BLOCKFLEET_LAKE_URL"), "\(nowhere.output)")
        let date = try await Self.lakeDDL(["--dialect", "spectrum", "--location", "s3://eth-lake/lake", "--from-date", "2024-02-30"])
        #expect(date.status != 0 && date.output.contains("--from-date '2024-02-30' is not a date"), "\(date.output)")
        let ok = try await Self.lakeDDL(["--dialect", "spectrum", "--location", "s3://eth-lake/lake", "--from-date", "2024-03-13", "--to-date", "2024-03-14", "--glue-tables-exist"])
        #expect(ok.status == 0 && ok.stdout.components(separatedBy: "ADD IF NOT EXISTS PARTITION").count - 1 == 16, "\(ok.output)")
    }
}
