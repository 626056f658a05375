// `worker export --format parquet` over HTTP: every entity's file read by pyarrow, fastparquet and
// DuckDB equals the CSV export of the same blocks.

import Foundation
import Testing
import Shared

@Suite("Parquet export (worker export --format parquet)", .serialized,
       .enabled(if: ParquetExportReport.python != nil, ParquetExportReport.skipReason))
struct ParquetExportTests {
    func export(_ arguments: [String]) async throws -> (status: Int32, log: String) {
        let worker = try FleetProcess("worker", ["export"] + arguments)
        let status = try await worker.waitForExit(timeout: .seconds(120))
        return (status, worker.log)
    }

    func folder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("bf-parquet-export-\(UUID().uuidString)")
    }

    @Test("all eight entities: schema, row count and every value equal the CSV export, read by pyarrow, fastparquet and DuckDB")
    func allEntitiesEqualCSV() async throws {
        let (node, url) = try await Ops.startDevChain(["--seed", "12", "--blocks", "120", "--txs-per-block", "30"])
        defer { node.signal(SIGTERM) }
        let csv = folder(), parquet = folder()
        defer { for url in [csv, parquet] { try? FileManager.default.removeItem(at: url) } }
        let all = ExportEntity.allCases
        let common = ["--from", "0", "--to", "120", "--rpc-url", url, "--window", "25", "--entities", ExportEntity.listText(all)]
        let csvRun = try await export(common + ["--output", csv.path])
        #expect(csvRun.status == 0, "\(csvRun.log)")
        let parquetRun = try await export(common + ["--output", parquet.path, "--format", "parquet"])
        #expect(parquetRun.status == 0, "\(parquetRun.log)")

        let names = try FileManager.default.contentsOfDirectory(atPath: parquet.path).sorted()
        #expect(names == all.map { "\($0.rawValue).parquet" }.sorted(), "one file per entity, no working folder left behind")
        var nulls = 0
        for entity in all {
            let file = parquet.appendingPathComponent("\(entity.rawValue).parquet")
            let report = try await ParquetExportReport.read(file, csv: csv.appendingPathComponent("\(entity.rawValue).csv"))
            #expect(report.csv.rows.count > 0, "\(entity.rawValue) has rows")
            nulls += report.expectEqualToCSV(entity).nulls
            #expect(parquetRun.log.contains("\(entity.rawValue): \(report.csv.rows.count) rows"), "\(parquetRun.log)")
            let size = try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int
            #expect(parquetRun.log.contains("\(entity.rawValue): \(report.csv.rows.count) rows, \(size ?? -1) bytes"), "the summary gives the file's size")
        }
        #expect(nulls > 0, "nullable columns left empty by ethereum-etl are nulls")
    }

    @Test("blocks without transactions give zero-row files every reader opens; --fsync writes the same bytes")
    func zeroRowFiles() async throws {
        let (node, url) = try await Ops.startDevChain(["--seed", "5", "--blocks", "10", "--txs-per-block", "5"])
        defer { node.signal(SIGTERM) }
        let csv = folder(), parquet = folder(), flushed = folder()
        defer { for url in [csv, parquet, flushed] { try? FileManager.default.removeItem(at: url) } }
        let entities: [ExportEntity] = [.blocks, .transactions, .logs, .tokenTransfers]
        // Block 0 is the devchain's genesis: a block and nothing else.
        let common = ["--from", "0", "--to", "0", "--rpc-url", url, "--entities", ExportEntity.listText(entities)]
        #expect(try await export(common + ["--output", csv.path]).status == 0)
        let run = try await export(common + ["--output", parquet.path, "--format", "parquet"])
        #expect(run.status == 0, "\(run.log)")
        #expect(try await export(common + ["--output", flushed.path, "--format", "parquet", "--fsync"]).status == 0)
        for entity in entities {
            let name = "\(entity.rawValue).parquet"
            let report = try await ParquetExportReport.read(parquet.appendingPathComponent(name), csv: csv.appendingPathComponent("\(entity.rawValue).csv"))
            #expect(report.pyarrow.numRows == (entity == .blocks ? 1 : 0), "\(entity.rawValue)")
            report.expectEqualToCSV(entity)
            #expect(try Data(contentsOf: parquet.appendingPathComponent(name)) == Data(contentsOf: flushed.appendingPathComponent(name)),
                    "\(name) differs with --fsync")
        }
    }
}
