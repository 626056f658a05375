// Loading staged files into the Postgres warehouse: idempotent, all or nothing, bad data refused.

import Foundation
import Logging
import NIOCore
import PostgresNIO
import Shared
import Testing

@Suite("Postgres warehouse loads", .serialized)
struct LoadTests {
    static let fixtures = WarehouseProbe.packageRoot.appendingPathComponent("Tests/SharedTests/Fixtures/ethereum-etl")
    /// Block 483920's four receipts, as ethereum-etl wrote them.
    static let receiptsCSV = fixtures.appendingPathComponent("test_export_receipts_job/receipts_with_logs/expected_receipts.csv")
    static let range: (Int64, Int64) = (483_920, 483_920)

    /// A staging folder with helpers to stage text as ethereum-etl would have.
    struct Staging {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("bf-load-\(UUID().uuidString)")
        var store: FileStagingStore { FileStagingStore(root: root.path) }

        /// Gzips `csv`, stages it under the receipts key of the range, and returns the load request.
        func stage(_ csv: String, rows: Int, entity: String = "receipts", key: String = "receipts/0000483920-0000483920.csv.gz") async throws -> LoadRequest {
            let file = root.appendingPathComponent("src-\(UUID().uuidString).gz")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: file.path, contents: nil)
            let handle = try FileHandle(forWritingTo: file)
            let sink = try GzipFileSink(handle)
            try sink.write(Array(csv.utf8))
            let (bytes, sha256) = try sink.finish()
            try handle.close()
            try await store.put(file: file.path, key: key, contentType: "application/gzip")
            try FileManager.default.removeItem(at: file)
            return LoadRequest(
                staging: store.location.description, manifest: "_manifests/0000483920-0000483920.json",
                file: .init(entity: entity, key: key, rows: rows, bytes: bytes, sha256: sha256, format: "csv")
            )
        }

        func remove() { try? FileManager.default.removeItem(at: root) }
    }

    /// The fixture (ethereum-etl 2.3) in 2.4.x's shape: the two EIP-4844 receipt columns appended, empty.
    static func receipts() throws -> (csv: String, rows: Int) {
        let lines = try String(contentsOf: receiptsCSV, encoding: .utf8).split(whereSeparator: \.isNewline)
        let header = lines[0] + ",blob_gas_price,blob_gas_used"
        let text = ([String(header)] + lines.dropFirst().map { $0 + ",," }).joined(separator: "\r\n") + "\r\n"
        return (text, lines.count - 1)
    }

    /// The fixture with one value changed: a second version of the same range.
    static func editedReceipts() throws -> String {
        try receipts().csv.replacingOccurrences(of: ",50000000000,", with: ",50000000001,")
    }

    func warehouse(_ db: TestDatabase, _ staging: Staging) -> PostgresWarehouse {
        PostgresWarehouse(client: db.client, schema: db.schema, store: staging.store, logger: db.logger)
    }

    func tableMatches(_ db: TestDatabase, csv: String) async throws -> (String, Bool) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bf-expected-\(UUID().uuidString).csv")
        try csv.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        return try await WarehouseProbe.compare(csv: file, dump: try await WarehouseProbe.dump(db.client, schema: db.schema, entity: .receipts, logger: db.logger))
    }

    @Test("loading a range twice leaves the same rows; a new version of the range replaces the old")
    func idempotent() async throws {
        let staging = Staging()
        defer { staging.remove() }
        try await TestDatabase.with { db in
            let warehouse = warehouse(db, staging)
            try await warehouse.prepare()
            try await warehouse.prepare()  // idempotent
            let (csv, rows) = try LoadTests.receipts()
            let request = try await staging.stage(csv, rows: rows)
            let first = try await warehouse.load(request, into: .of(.receipts), first: LoadTests.range.0, last: LoadTests.range.1)
            #expect(first.rowsLoaded == rows && first.rowsReplaced == 0)
            let second = try await warehouse.load(request, into: .of(.receipts), first: LoadTests.range.0, last: LoadTests.range.1)
            #expect(second.rowsReplaced == rows)
            let (summary, equal) = try await tableMatches(db, csv: csv)
            #expect(equal, "\(summary)")

            let edited = try await staging.stage(try LoadTests.editedReceipts(), rows: rows)
            _ = try await warehouse.load(edited, into: .of(.receipts), first: LoadTests.range.0, last: LoadTests.range.1)
            let (after, same) = try await tableMatches(db, csv: try LoadTests.editedReceipts())
            #expect(same, "\(after)")
            #expect(try await WarehouseProbe.count(db.client, schema: db.schema, entity: .receipts, logger: db.logger) == rows)
        }
    }

    @Test("bad staged data fails the load with a clear error and leaves the warehouse unchanged", arguments: [
        "rows", "checksum", "malformed", "header",
    ])
    func badDataLeavesWarehouseUntouched(fault: String) async throws {
        let staging = Staging()
        defer { staging.remove() }
        try await TestDatabase.with { db in
            let warehouse = warehouse(db, staging)
            try await warehouse.prepare()
            let (csv, rows) = try LoadTests.receipts()
            _ = try await warehouse.load(try await staging.stage(csv, rows: rows), into: .of(.receipts), first: LoadTests.range.0, last: LoadTests.range.1)

            let edited = try LoadTests.editedReceipts()
            var request: LoadRequest
            let expected: LoadError.Code
            switch fault {
            case "rows":
                request = try await staging.stage(edited, rows: rows + 1)
                expected = .rowCountMismatch
            case "checksum":
                request = try await staging.stage(edited, rows: rows)
                request = LoadRequest(staging: request.staging, manifest: request.manifest, file: .init(
                    entity: "receipts", key: request.file.key, rows: rows, bytes: request.file.bytes,
                    sha256: String(repeating: "0", count: 64), format: "csv"))
                expected = .checksumMismatch
            case "malformed":
                request = try await staging.stage(edited.replacingOccurrences(of: ",50000000001,", with: ",\"5000\"0,"), rows: rows)
                expected = .malformedCSV
            default:
                request = try await staging.stage(edited.replacingOccurrences(of: "cumulative_gas_used,gas_used", with: "gas_used,cumulative_gas_used"), rows: rows)
                expected = .malformedCSV
            }
            await #expect {
                _ = try await warehouse.load(request, into: .of(.receipts), first: LoadTests.range.0, last: LoadTests.range.1)
            } throws: { error in
                guard let error = error as? LoadError, error.code == expected else { return false }
                return error.message.contains(request.file.key)
            }
            let (summary, equal) = try await tableMatches(db, csv: csv)
            #expect(equal, "the first load's rows stay: \(summary)")
            // The pool's connections are usable after the failed transaction.
            _ = try await warehouse.load(try await staging.stage(csv, rows: rows), into: .of(.receipts), first: LoadTests.range.0, last: LoadTests.range.1)
        }
    }

    @Test("a loader killed between COPY and commit leaves no partial rows; the reaped job then loads")
    func killBetweenCopyAndCommit() async throws {
        let staging = Staging()
        defer { staging.remove() }
        try await TestDatabase.with { db in
            let warehouse = warehouse(db, staging)
            try await warehouse.prepare()
            let (csv, rows) = try LoadTests.receipts()
            _ = try await warehouse.load(try await staging.stage(csv, rows: rows), into: .of(.receipts), first: LoadTests.range.0, last: LoadTests.range.1)
            let edited = try await staging.stage(try LoadTests.editedReceipts(), rows: rows)
            let job = NewJob(kind: .load, firstBlock: LoadTests.range.0, lastBlock: LoadTests.range.1, entities: "receipts", payload: try edited.encoded())
            let id = try #require(try await db.queue.enqueue([job]).first)

            // Hold the range's rows so the loader's DELETE waits, after its COPY has finished.
            try await db.client.withConnection { holder in
                try await holder.query("BEGIN", logger: db.logger)
                try await holder.query(PostgresQuery(unsafeSQL: "SELECT 1 FROM \"\(db.schema)\".receipts WHERE block_number = 483920 FOR UPDATE"), logger: db.logger)
                let worker = try FleetProcess("worker", ["--kinds", "load", "--concurrency", "1", "--lease-seconds", "30"], environment: [
                    "BLOCKFLEET_DATABASE_URL": db.url,
                    "BLOCKFLEET_WAREHOUSE_URL": ProcessInfo.processInfo.environment["BLOCKFLEET_TEST_DATABASE_URL"] ?? "",
                    "BLOCKFLEET_WAREHOUSE_SCHEMA": db.schema,
                    "BLOCKFLEET_STAGING_URL": "file://\(staging.root.path)",
                ])
                defer { if worker.isRunning { worker.signal(SIGKILL) } }
                do { try await eventually("the loader to wait on its DELETE after COPY", timeout: .seconds(60)) {
                    // Polled from another connection: inside a transaction the view is a snapshot.
                    let waiting = try await db.client.query("""
                        SELECT count(*)::bigint FROM pg_stat_activity
                        WHERE application_name = 'blockfleet-loader' AND wait_event_type = 'Lock'
                          AND query LIKE 'WITH deleted AS (DELETE FROM "' || \(db.schema) || '"."receipts"%'
                        """, logger: db.logger)
                    for try await count in waiting.decode(Int64.self) { return count == 1 }
                    return false
                } } catch {
                    throw TestSetupError("\(error); the worker's log:\n\(worker.log)")
                }
                worker.signal(SIGKILL)
                _ = try await worker.waitForExit()
                try await holder.query("COMMIT", logger: db.logger)
            }
            let (summary, unchanged) = try await tableMatches(db, csv: csv)
            #expect(unchanged, "no partial rows: \(summary)")
            #expect(try await db.row(id).state == "running", "the job waits for its lease to expire")

            try await db.expireLease(id)
            _ = try await db.queue.reapExpiredLeases()
            let runner = LoadJobRunner(warehouse: warehouse, stagingLocation: staging.store.location)
            let claimed = try #require(try await db.queue.claim(kinds: [.load], limit: 1, owner: "second", lease: .seconds(30)).first)
            #expect(claimed.attempt == 2)
            let outcome = try await runner.run(claimed)
            try await db.queue.complete(JobCompletion(lease: claimed.lease, result: outcome.result))
            let (after, loaded) = try await tableMatches(db, csv: try LoadTests.editedReceipts())
            #expect(loaded, "\(after)")
        }
    }
}
