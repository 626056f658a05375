// Publishing an export job's Parquet files to the lake, replacing the range's earlier files,
// fenced by the attempt's lease.

import Foundation

extension ExportJobRunner {
    /// Time kept back from the lease left when bounding a lake write: the check's own round trip
    /// and the clocks' drift while the write runs.
    static let lakeFenceSafety = Duration.seconds(2)

    /// Puts the range's Parquet files at their lake keys, then its manifest, then deletes the
    /// files an earlier export of the range listed and this one did not write. Returns the
    /// manifest's URL, or nil without a lake. A failure fails the attempt, which the retry
    /// repeats from the start.
    ///
    /// Lake keys name no attempt (readers glob the partition folders, so two attempts' files
    /// side by side would be read twice), so attempts write the same keys and are fenced instead:
    /// - with a `fence` (the queue, in a fleet), every put and delete starts only while this
    ///   attempt still holds its lease, and is cancelled if it runs into the lease's end, so no
    ///   write of a zombie attempt can land after another attempt could have claimed the job;
    /// - without one, the range's manifest, which names the attempt that wrote it, is the fence:
    ///   an attempt older than that one (an earlier lease token of the job, or an earlier job of
    ///   the range) writes nothing. Not with a fence: the queue is the authority there, and ids
    ///   start again in a new queue database while the lake (and its manifests) stays.
    func publishToLake(_ summary: ExportSummary, lease: JobLease) async throws -> String? {
        guard let lake, let files = summary.lakeFiles else { return nil }
        let attempt = LakeManifest.Attempt(job: lease.id, leaseToken: lease.token)
        let manifestKey = lake.keys.manifest(first: summary.firstBlock, last: summary.lastBlock)
        var earlier: LakeManifest?
        if try await lake.store.size(key: manifestKey) != nil {
            earlier = try? JSONDecoder().decode(LakeManifest.self, from: Data(buffer: try await lake.store.readAll(key: manifestKey)))
        }
        if fence == nil, let newer = earlier?.attempt, attempt < newer {
            throw JobError(.leaseLost, "the lake files of \(StagingKeys.rangeName(first: summary.firstBlock, last: summary.lastBlock)) were written by a newer attempt (job \(newer.job), lease \(newer.leaseToken)); \(lease) does not replace them")
        }
        var entries: [LakeManifest.File] = []
        for file in files {
            guard let entity = ExportEntity(rawValue: file.entity) else { continue }
            let key = lake.keys.file(entity: entity, date: file.blockDate, first: file.firstBlock, last: file.lastBlock)
            try await fenced(lease, "writing \(key)") {
                try await lake.store.put(file: file.path, key: key, contentType: "application/vnd.apache.parquet")
            }
            FleetMetrics.counter(FleetMetrics.bytesLake, [("entity", file.entity)]).increment(by: Int64(file.bytes))
            entries.append(LakeManifest.File(entity: file.entity, blockDate: file.blockDate, key: key, firstBlock: file.firstBlock,
                                             lastBlock: file.lastBlock, rows: file.rows, bytes: file.bytes))
        }
        let manifest = LakeManifest(firstBlock: summary.firstBlock, lastBlock: summary.lastBlock, files: entries, attempt: attempt)
        let scratch = scratchRoot.appendingPathComponent(".lake-manifest-\(UUID().uuidString).json")
        try FileManager.default.createDirectory(at: scratchRoot, withIntermediateDirectories: true)
        try manifest.encoded().write(to: scratch)
        defer { try? FileManager.default.removeItem(at: scratch) }
        try await fenced(lease, "writing \(manifestKey)") {
            try await lake.store.put(file: scratch.path, key: manifestKey, contentType: "application/json")
        }
        let written = Set(entries.map(\.key))
        for stale in earlier?.files ?? [] where !written.contains(stale.key) {
            try await fenced(lease, "deleting \(stale.key)") { try await lake.store.delete(key: stale.key) }
        }
        return lake.store.url(key: manifestKey)
    }

    /// Runs one lake write while `lease` is held: checked just before, and bounded by the lease
    /// left (less `lakeFenceSafety`). Without a fence, only cancellation (the worker's own lease
    /// timer) stops it.
    func fenced(_ lease: JobLease, _ what: String, _ write: @escaping @Sendable () async throws -> Void) async throws {
        try Task.checkCancellation()
        guard let fence else { return try await write() }
        guard let left = try await fence.remainingLease(lease), left > Self.lakeFenceSafety else {
            throw JobError(.leaseLost, "\(lease) is no longer held: not \(what) in the lake")
        }
        let deadline = left - Self.lakeFenceSafety
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask { try await write(); return true }
            group.addTask { try await Task.sleep(for: deadline); return false }
            let finished = try await group.next() ?? false
            group.cancelAll()
            guard finished else {
                throw JobError(.leaseLost, "\(lease) would expire before \(what) in the lake finished (\(deadline) left); stopped")
            }
        }
    }
}
