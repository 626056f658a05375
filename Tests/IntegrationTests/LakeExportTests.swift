// Export jobs with a lake (BLOCKFLEET_LAKE_URL=file://…): the same rows as the staged files, as
// Parquet partitioned by entity and UTC block date, a file per date over midnight, re-export replaces.

import AsyncHTTPClient
import Foundation
import TestSupport
import Logging
import Shared
import Testing

@Suite("the lake: export jobs write Parquet by block_date", .serialized,
       .enabled(if: ParquetExportReport.python != nil, ParquetExportReport.skipReason))
struct LakeExportTests {
    /// Runs one export job of `range` (attempt `token`) with a file:// lake; returns the job result.
    func runJob(_ range: ClosedRange<Int64>, token: Int64, node url: String, staging: URL, lake: URL) async throws -> ExportJobResult {
        try await runJob(range, token: token, node: url, staging: staging,
                         lake: LakeDestination(store: FileStagingStore(root: lake.path), keys: LakeKeys(prefix: "")))
    }

    /// Runs one export job of `range` (attempt `token`) writing `lake`; returns the job result.
    func runJob(_ range: ClosedRange<Int64>, token: Int64, node url: String, staging: URL, lake: LakeDestination) async throws -> ExportJobResult {
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: HTTPClientService.defaultConfiguration)
        do {
            let pool = NodePool(configuration: NodePoolConfiguration(endpoints: [try RPCEndpoint(url)], attempts: 2), http: http,
                                logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
            var runner = ExportJobRunner(exporter: RangeExporter(fetcher: BlockFetcher(pool: pool), windowSize: 16),
                                         store: FileStagingStore(root: staging.path), keys: StagingKeys(prefix: "staged"),
                                         scratchRoot: staging.appendingPathComponent("scratch"), enqueuesLoads: false)
            runner.lake = lake
            let job = ClaimedJob(id: 7, kind: .export, firstBlock: range.lowerBound, lastBlock: range.upperBound,
                                 entities: ExportEntity.listText(ExportEntity.allCases), payload: "", attempt: 1, maxAttempts: 3,
                                 leaseToken: token, priority: 0)
            let outcome = try await runner.run(job)
            try await http.shutdown()
            return try JSONDecoder().decode(ExportJobResult.self, from: Data(try #require(outcome.result).utf8))
        } catch {
            try await http.shutdown()
            throw error
        }
    }

    /// DuckDB over the Hive-partitioned lake: per entity and block_date, the rows, and the rows
    /// whose own block time is on another date (blocks and transactions have one).
    static func duckdbCounts(_ lake: URL) async throws -> [String: [String: [Int]]] {
        let python = try #require(ParquetExportReport.python)
        let script = """
        import duckdb, json, sys
        root = sys.argv[1]
        out = {}
        c = duckdb.connect()
        for entity in ["blocks", "transactions", "receipts", "logs", "token_transfers", "traces", "contracts", "tokens"]:
            check = "count(*) FILTER (WHERE strftime(block_timestamp AT TIME ZONE 'UTC', '%Y-%m-%d') <> block_date::VARCHAR)" if entity in ("blocks", "transactions") else "0"
            rows = c.execute(f"SELECT block_date::VARCHAR, count(*), {check} FROM read_parquet('{root}/{entity}/*/*.parquet', hive_partitioning = true) GROUP BY 1 ORDER BY 1").fetchall()
            out[entity] = {r[0]: [r[1], r[2]] for r in rows}
        json.dump(out, sys.stdout)
        """
        let result = try await ChildProcess.run(python, ["-c", script, lake.path])
        try #require(result.status == 0, "DuckDB could not read the lake: \(result.stderrText)")
        return try JSONDecoder().decode([String: [String: [Int]]].self, from: result.stdout)
    }

    @Test("a range over UTC midnight: one file per entity and date, rows equal to the staged files', DuckDB's block_date right; a re-export replaces its files")
    func lakeOverMidnight() async throws {
        // devchain's blocks are 12 s apart from 2024-03-13 13:55:35 UTC: block 3023 is the first of 2024-03-14.
        let (node, url) = try await Ops.startDevChain(["--seed", "3", "--blocks", "3100", "--txs-per-block", "4"])
        defer { node.signal(SIGTERM) }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("bf-lake-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let staging = root.appendingPathComponent("staging"), lake = root.appendingPathComponent("lake")
        let result = try await runJob(2990...3059, token: 1, node: url, staging: staging, lake: lake)
        #expect(result.lakeManifest == "file://\(lake.path)/_manifests/0000002990-0000003059.json")

        let store = FileStagingStore(root: lake.path)
        let manifest = try JSONDecoder().decode(LakeManifest.self, from: Data(buffer: try await store.readAll(key: "_manifests/0000002990-0000003059.json")))
        let dates = Set(manifest.files.map(\.blockDate))
        #expect(dates == ["2024-03-13", "2024-03-14"], "\(dates)")
        let staged = try JSONDecoder().decode(StagingManifest.self, from: Data(buffer: try await FileStagingStore(root: staging.path).readAll(key: result.manifest)))
        let counts = try await Self.duckdbCounts(lake)
        for entity in ExportEntity.allCases.map(\.rawValue) {
            let files = manifest.files.filter { $0.entity == entity }.sorted { $0.firstBlock < $1.firstBlock }
            #expect(files.count == 2, "\(entity): a file per date")
            // The two files cover the range without gap or overlap, split where the date changes.
            #expect(files.first?.firstBlock == 2990 && files.last?.lastBlock == 3059, "\(entity)")
            if files.count == 2 { #expect(files[0].lastBlock + 1 == files[1].firstBlock, "\(entity): \(files)") }
            for file in files {
                #expect(file.key == "\(entity)/block_date=\(file.blockDate)/\(StagingKeys.rangeName(first: file.firstBlock, last: file.lastBlock)).parquet")
                #expect(try await store.size(key: file.key) == file.bytes, "\(file.key)")
                #expect(counts[entity]?[file.blockDate]?.first == file.rows, "\(entity) \(file.blockDate): DuckDB \(String(describing: counts[entity])), manifest \(file.rows)")
                #expect(counts[entity]?[file.blockDate]?.last == 0, "\(entity) rows in another date's partition")
            }
            let stagedRows = staged.files.first { $0.entity == entity }?.rows
            #expect(files.reduce(0) { $0 + $1.rows } == stagedRows, "\(entity): the lake has the staged file's rows")
            #expect((stagedRows ?? 0) > 0, "\(entity) has rows")
        }
        let split = try #require(manifest.files.first { $0.entity == "blocks" && $0.blockDate == "2024-03-13" })
        #expect(split.lastBlock == 3022, "block 3022 is the last of 2024-03-13 (\(split))")

        // Re-export: an earlier export listed a file this one does not write; it goes, the rest is replaced.
        let staleKey = "blocks/block_date=2024-03-13/0000002990-0000002999.parquet"
        let stale = lake.appendingPathComponent(staleKey)
        try FileManager.default.copyItem(at: lake.appendingPathComponent(split.key), to: stale)
        let listed = LakeManifest(firstBlock: 2990, lastBlock: 3059, files: manifest.files + [
            LakeManifest.File(entity: "blocks", blockDate: "2024-03-13", key: staleKey, firstBlock: 2990, lastBlock: 2999, rows: 10, bytes: 1),
        ])
        try listed.encoded().write(to: lake.appendingPathComponent("_manifests/0000002990-0000003059.json"))
        let before = try await store.list(prefix: "")
        _ = try await runJob(2990...3059, token: 2, node: url, staging: staging, lake: lake)
        let after = try await store.list(prefix: "")
        #expect(after == before.filter { $0 != staleKey }, "the same keys, without the stale file")
        await #expect(try Self.duckdbCounts(lake) == counts, "the same rows, none twice")
        let again = try JSONDecoder().decode(LakeManifest.self, from: Data(buffer: try await store.readAll(key: "_manifests/0000002990-0000003059.json")))
        #expect(again.files == manifest.files)
        #expect(manifest.attempt == LakeManifest.Attempt(job: 7, leaseToken: 1) && again.attempt == LakeManifest.Attempt(job: 7, leaseToken: 2))
    }

    @Test("an S3 lake (the local SeaweedFS): the same keys under the prefix, sizes as the manifest says; a re-export deletes a stale listed file",
          .enabled(if: S3TestServer.isConfigured, S3TestServer.skipReason))
    func s3Lake() async throws {
        let (node, url) = try await Ops.startDevChain(["--seed", "3", "--blocks", "3100", "--txs-per-block", "4"])
        defer { node.signal(SIGTERM) }
        let staging = FileManager.default.temporaryDirectory.appendingPathComponent("bf-lake-s3-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: staging) }
        try await S3TestServer.withClient { client in
            try await S3TestServer.withBucket(client) { bucket in
                let lake = LakeDestination(store: S3StagingStore(client: client, bucket: bucket, prefix: "eth/lake"), keys: LakeKeys(prefix: "eth/lake"))
                let result = try await runJob(3015...3034, token: 1, node: url, staging: staging, lake: lake)
                #expect(result.lakeManifest == "s3://\(bucket)/eth/lake/_manifests/0000003015-0000003034.json")
                let manifestKey = "eth/lake/_manifests/0000003015-0000003034.json"
                let manifest = try JSONDecoder().decode(LakeManifest.self, from: Data(buffer: try await lake.store.readAll(key: manifestKey)))
                #expect(manifest.files.count == 16, "two dates of eight entities")
                #expect(try await lake.store.list(prefix: "eth/lake/") == (manifest.files.map(\.key) + [manifestKey]).sorted())
                for file in manifest.files {
                    #expect(file.key.hasPrefix("eth/lake/\(file.entity)/block_date=\(file.blockDate)/"))
                    #expect(try await lake.store.size(key: file.key) == file.bytes)
                }
                #expect(manifest.files.filter { $0.entity == "blocks" }.map(\.rows) == [8, 12], "3015…3022 and 3023…3034")

                let staleKey = "eth/lake/blocks/block_date=2024-03-13/0000003015-0000003016.parquet"
                let scratch = staging.appendingPathComponent("stale.parquet")
                try Data("stale".utf8).write(to: scratch)
                try await lake.store.put(file: scratch.path, key: staleKey, contentType: "application/vnd.apache.parquet")
                let listed = LakeManifest(firstBlock: 3015, lastBlock: 3034, files: manifest.files + [
                    LakeManifest.File(entity: "blocks", blockDate: "2024-03-13", key: staleKey, firstBlock: 3015, lastBlock: 3016, rows: 2, bytes: 5),
                ])
                try listed.encoded().write(to: scratch)
                try await lake.store.put(file: scratch.path, key: manifestKey, contentType: "application/json")
                _ = try await runJob(3015...3034, token: 2, node: url, staging: staging, lake: lake)
                #expect(try await lake.store.list(prefix: "eth/lake/") == (manifest.files.map(\.key) + [manifestKey]).sorted())
                let again = try JSONDecoder().decode(LakeManifest.self, from: Data(buffer: try await lake.store.readAll(key: manifestKey)))
                #expect(again.files == manifest.files && again.attempt?.leaseToken == 2)
            }
        }
    }

    @Test("S3 staging and an S3 lake: each load job names a COPY manifest of its entity's lake files of the range (Redshift's COPY FROM the lake), each listed with its length",
          .enabled(if: S3TestServer.isConfigured, S3TestServer.skipReason))
    func lakeCopyManifests() async throws {
        let (node, url) = try await Ops.startDevChain(["--seed", "3", "--blocks", "3100", "--txs-per-block", "4"])
        defer { node.signal(SIGTERM) }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("bf-lake-copy-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: HTTPClientService.defaultConfiguration)
        do {
            try await S3TestServer.withClient { client in
                try await S3TestServer.withBucket(client) { bucket in
                    let staging = S3StagingStore(client: client, bucket: bucket, prefix: "staging")
                    let pool = NodePool(configuration: NodePoolConfiguration(endpoints: [try RPCEndpoint(url)], attempts: 2), http: http,
                                        logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
                    var runner = ExportJobRunner(exporter: RangeExporter(fetcher: BlockFetcher(pool: pool), windowSize: 16),
                                                 store: staging, keys: StagingKeys(prefix: "staging"), scratchRoot: scratch)
                    let lake = LakeDestination(store: S3StagingStore(client: client, bucket: bucket, prefix: "lake"), keys: LakeKeys(prefix: "lake"))
                    runner.lake = lake
                    let job = ClaimedJob(id: 9, kind: .export, firstBlock: 3015, lastBlock: 3034, entities: "blocks,transactions,logs",
                                         payload: "", attempt: 1, maxAttempts: 3, leaseToken: 4, priority: 0)
                    let outcome = try await runner.run(job)
                    let lakeManifest = try JSONDecoder().decode(LakeManifest.self, from: Data(buffer: try await lake.store.readAll(key: "lake/_manifests/0000003015-0000003034.json")))
                    #expect(outcome.followUps.count == 3)
                    for followUp in outcome.followUps {
                        let request = try LoadRequest.decode(followUp.payload)
                        let key = try #require(request.lakeCopyManifest, "\(request.file.entity) has no lake COPY manifest")
                        #expect(key == request.file.key + ".lake-copy-manifest.json" && key.contains("/j9-a4."), "under the attempt's staging keys: \(key)")
                        let copy = try JSONDecoder().decode(RedshiftCopyManifest.self, from: Data(buffer: try await staging.readAll(key: key)))
                        let files = lakeManifest.files.filter { $0.entity == request.file.entity }
                        #expect(copy.entries.map(\.url) == files.map { "s3://\(bucket)/\($0.key)" }, "\(request.file.entity): both dates' files")
                        #expect(files.count == 2 && copy.entries.allSatisfy(\.mandatory))
                        for (entry, file) in zip(copy.entries, files) {
                            #expect(entry.meta.contentLength == file.bytes)
                            #expect(try await lake.store.size(key: file.key) == entry.meta.contentLength)
                        }
                        #expect(files.reduce(0) { $0 + $1.rows } == request.file.rows, "the COPY's row check holds for the lake files")
                        // The partitions a Redshift loader registers in Spectrum: both dates' folders, holding those files.
                        let partitions = try #require(request.lakePartitions, "\(request.file.entity) names no lake partitions")
                        #expect(partitions == ["2024-03-13", "2024-03-14"].map {
                            LoadRequest.LakePartition(blockDate: $0, folder: "s3://\(bucket)/lake/\(request.file.entity)/block_date=\($0)/")
                        })
                        #expect(copy.entries.allSatisfy { entry in partitions.contains { entry.url.hasPrefix($0.folder) } })
                        let plan = try RedshiftLoadPlan(request: request, table: .of(try #require(ExportEntity(rawValue: request.file.entity))),
                                                        schema: "ethereum", manifestURL: staging.url(key: key),
                                                        iamRole: "arn:aws:iam::123456789012:role/copy", region: nil, source: .lake, spectrumSchema: "blockfleet_lake")
                        #expect(plan.addPartitions.count == 2 && plan.addPartitions.allSatisfy { $0.contains("ADD IF NOT EXISTS PARTITION") })
                    }
                }
            }
        } catch {
            try await http.shutdown()
            throw error
        }
        try await http.shutdown()
    }
}
