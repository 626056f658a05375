// The worker's runner for `export` jobs: one job's block range, exported, staged, handed to loaders.

import Foundation

/// Runs export jobs: the range goes through `RangeExporter` into gzip files in a scratch folder,
/// the files are staged under keys of this attempt (`StagingKeys.Attempt`: job id and lease
/// token), the manifest is written last, and the job's completion inserts one load job per entity
/// in the same transaction that marks it succeeded. The completion is fenced by the lease token,
/// so the load jobs always name the completing attempt's keys, which no other attempt writes: a
/// zombie attempt still staging after its lease was taken over cannot change what is loaded.
public struct ExportJobRunner: JobRunner {
    public let exporter: RangeExporter
    public let store: any StagingStore
    public let keys: StagingKeys
    /// Scratch space for one attempt's files; emptied when the attempt ends.
    public let scratchRoot: URL
    public let format: RowFormat
    /// Whether successful exports enqueue load jobs. Default true.
    public var enqueuesLoads: Bool
    /// The lake (`BLOCKFLEET_LAKE_URL`) the same rows also go to as Parquet, per entity and UTC
    /// date; nil (the default) writes no lake. With a lake every window takes the decoding path.
    public var lake: LakeDestination?
    /// Checked before every lake write (the worker's queue): a zombie attempt, whose lease
    /// another attempt took, writes nothing to the lake. Nil (the default) checks only the
    /// manifest's attempt order and cancellation.
    public var fence: (any LeaseFence)?

    public init(
        exporter: RangeExporter,
        store: any StagingStore,
        keys: StagingKeys,
        scratchRoot: URL,
        format: RowFormat = .csv,
        enqueuesLoads: Bool = true
    ) {
        self.exporter = exporter
        self.store = store
        self.keys = keys
        self.scratchRoot = scratchRoot
        self.format = format
        self.enqueuesLoads = enqueuesLoads
    }

    public func run(_ job: ClaimedJob) async throws -> JobOutcome {
        let entities: [ExportEntity]
        do {
            entities = try ExportEntity.parseList(job.entities)
        } catch {
            throw JobError(.invalidJob, "job \(job.id): \(error)")
        }
        guard job.firstBlock >= 0, job.lastBlock >= job.firstBlock else {
            throw JobError(.invalidJob, "job \(job.id): bad range \(job.firstBlock)-\(job.lastBlock)")
        }
        let first = UInt64(job.firstBlock), last = UInt64(job.lastBlock)
        let scratch = scratchRoot.appendingPathComponent("\(StagingKeys.rangeName(first: first, last: last))-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let summary = try await exporter.export(first...last, entities: entities, format: format, gzip: true, to: scratch,
                                                lake: lake == nil ? nil : scratch.appendingPathComponent("lake"))
        let attempt = StagingKeys.Attempt(job: job.id, leaseToken: job.leaseToken)
        let (manifest, copyManifests) = try await stage(summary, attempt: attempt)
        let lakeManifest = try await publishToLake(summary, lease: job.lease)
        let lakeCopyManifests = try await stageLakeCopyManifests(summary, staged: manifest)
        let manifestKey = keys.manifest(first: first, last: last, attempt: attempt)
        if let windows = summary.windows, let transcoded = summary.transcodedWindows {
            FleetMetrics.counter(FleetMetrics.exportWindows, [("path", "transcoded")]).increment(by: Int64(transcoded))
            FleetMetrics.counter(FleetMetrics.exportWindows, [("path", "decoded")]).increment(by: Int64(windows - transcoded))
        }

        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var jobResult = ExportJobResult(summary: summary, manifest: manifestKey, staging: store.location.description)
        jobResult.lakeManifest = lakeManifest
        let result = String(decoding: try encoder.encode(jobResult), as: UTF8.self)
        guard enqueuesLoads else { return JobOutcome(result: result) }
        let followUps = try manifest.files.map { file in
            var request = LoadRequest(staging: store.location.description, manifest: manifestKey, file: file,
                                      attempt: job.leaseToken, copyManifest: copyManifests[file.key],
                                      lakeCopyManifest: lakeCopyManifests[file.key])
            request.lakePartitions = lakePartitions(summary, entity: file.entity)
            return NewJob(
                kind: .load, firstBlock: job.firstBlock, lastBlock: job.lastBlock, entities: file.entity,
                payload: try request.encoded(), priority: job.priority, maxAttempts: job.maxAttempts, onConflict: .requeue
            )
        }
        return JobOutcome(result: result, followUps: followUps)
    }

    /// Uploads every file (with its Redshift COPY manifest when staging is S3), then the manifest
    /// that lists them, all under this attempt's keys. Returns the manifest and the COPY manifests' keys by file key.
    func stage(_ summary: ExportSummary, attempt: StagingKeys.Attempt) async throws -> (StagingManifest, [String: String]) {
        var files: [StagingManifest.File] = []
        var copyManifests: [String: String] = [:]
        for file in summary.files {
            guard let entity = ExportEntity(rawValue: file.entity), let bytes = file.compressedBytes, let sha256 = file.sha256 else {
                throw JobError(.invalidJob, "export of \(file.entity) produced no gzip file to stage")
            }
            let key = keys.file(entity: entity, first: summary.firstBlock, last: summary.lastBlock, attempt: attempt, format: format)
            try await store.put(file: file.path, key: key, contentType: "application/gzip")
            let url = store.url(key: key)
            if url.hasPrefix("s3://") {
                let copyKey = StagingKeys.copyManifest(file: key)
                try await putSmall(try RedshiftCopyManifest(url: url, bytes: bytes).encoded(), key: copyKey)
                copyManifests[key] = copyKey
            }
            FleetMetrics.counter(FleetMetrics.bytesStaged, [("entity", file.entity)]).increment(by: Int64(bytes))
            files.append(.init(entity: file.entity, key: key, rows: file.rows, bytes: bytes, sha256: sha256, format: format.rawValue))
        }
        let manifest = StagingManifest(
            firstBlock: summary.firstBlock, lastBlock: summary.lastBlock,
            firstParentHash: summary.firstParentHash, lastHash: summary.lastHash, files: files
        )
        try await putSmall(try manifest.encoded(), key: keys.manifest(first: summary.firstBlock, last: summary.lastBlock, attempt: attempt))
        return (manifest, copyManifests)
    }

    /// With an S3 lake and S3 staging: per staged file, a Redshift COPY manifest of the entity's
    /// lake files of the range (one per date), under the attempt's staging keys, for loaders that
    /// COPY from the lake (`BLOCKFLEET_REDSHIFT_COPY_FROM=lake`). Returns their keys by file key.
    func stageLakeCopyManifests(_ summary: ExportSummary, staged: StagingManifest) async throws -> [String: String] {
        guard let lake, let lakeFiles = summary.lakeFiles else { return [:] }
        var keys: [String: String] = [:]
        for file in staged.files {
            guard let entity = ExportEntity(rawValue: file.entity), store.url(key: file.key).hasPrefix("s3://") else { continue }
            let objects = lakeFiles.filter { $0.entity == file.entity }.map {
                (url: lake.store.url(key: lake.keys.file(entity: entity, date: $0.blockDate, first: $0.firstBlock, last: $0.lastBlock)), bytes: $0.bytes)
            }
            guard !objects.isEmpty, objects.allSatisfy({ $0.url.hasPrefix("s3://") }) else { continue }
            let key = StagingKeys.lakeCopyManifest(file: file.key)
            try await putSmall(try RedshiftCopyManifest(objects: objects).encoded(), key: key)
            keys[file.key] = key
        }
        return keys
    }

    /// With an S3 lake: the `block_date` folders of `entity`'s lake files of the range, for a
    /// Redshift loader to register as Spectrum partitions. Nil otherwise.
    func lakePartitions(_ summary: ExportSummary, entity name: String) -> [LoadRequest.LakePartition]? {
        guard let lake, let files = summary.lakeFiles, let entity = ExportEntity(rawValue: name) else { return nil }
        var partitions: [LoadRequest.LakePartition] = []
        for date in Set(files.filter { $0.entity == name }.map(\.blockDate)).sorted() {
            let folder = lake.store.url(key: lake.keys.partition(entity: entity, date: date))
            guard folder.hasPrefix("s3://") else { return nil }
            partitions.append(LoadRequest.LakePartition(blockDate: date, folder: folder))
        }
        return partitions.isEmpty ? nil : partitions
    }

    /// Stages a small JSON object through a scratch file.
    private func putSmall(_ data: Data, key: String) async throws {
        let file = scratchRoot.appendingPathComponent(".manifest-\(UUID().uuidString).json")
        try FileManager.default.createDirectory(at: scratchRoot, withIntermediateDirectories: true)
        try data.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        try await store.put(file: file.path, key: key, contentType: "application/json")
    }
}

/// What an export job keeps in `jobs.result`: edge hashes for the reorg guard, and where its files went.
public struct ExportJobResult: Sendable, Codable, Equatable {
    public let firstBlock: UInt64
    public let lastBlock: UInt64
    public let firstParentHash: String
    public let lastHash: String
    public let staging: String
    public let manifest: String
    public let files: [File]
    /// Fetch windows, and those the CSV transcoder wrote (nil in results of older workers).
    public var windows: Int?
    public var transcodedWindows: Int?
    /// The lake manifest's URL, when the worker writes a lake.
    public var lakeManifest: String?

    public struct File: Sendable, Codable, Equatable {
        public let entity: String
        public let rows: Int
        public let bytes: Int
    }

    public init(summary: ExportSummary, manifest: String, staging: String) {
        firstBlock = summary.firstBlock
        lastBlock = summary.lastBlock
        firstParentHash = summary.firstParentHash
        lastHash = summary.lastHash
        self.staging = staging
        self.manifest = manifest
        files = summary.files.map { File(entity: $0.entity, rows: $0.rows, bytes: $0.compressedBytes ?? $0.bytes) }
        windows = summary.windows
        transcodedWindows = summary.transcodedWindows
    }

    enum CodingKeys: String, CodingKey {
        case firstBlock = "first_block", lastBlock = "last_block", firstParentHash = "first_parent_hash"
        case lastHash = "last_hash", staging, manifest, files, windows, transcodedWindows = "transcoded_windows"
        case lakeManifest = "lake_manifest"
    }
}
