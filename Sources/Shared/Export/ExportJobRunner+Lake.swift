// Publishing an export job's Parquet files to the lake, replacing the range's earlier files.

import Foundation

extension ExportJobRunner {
    /// Puts the range's Parquet files at their lake keys, then its manifest, then deletes the
    /// files an earlier export of the range listed and this one did not write (keys name no
    /// attempt, so a re-export overwrites the rest). Returns the manifest's URL, or nil without
    /// a lake. A failure fails the attempt, which the retry repeats from the start.
    func publishToLake(_ summary: ExportSummary) async throws -> String? {
        guard let lake, let files = summary.lakeFiles else { return nil }
        let manifestKey = lake.keys.manifest(first: summary.firstBlock, last: summary.lastBlock)
        var earlier: LakeManifest?
        if try await lake.store.size(key: manifestKey) != nil {
            earlier = try? JSONDecoder().decode(LakeManifest.self, from: Data(buffer: try await lake.store.readAll(key: manifestKey)))
        }
        var entries: [LakeManifest.File] = []
        for file in files {
            guard let entity = ExportEntity(rawValue: file.entity) else { continue }
            let key = lake.keys.file(entity: entity, date: file.blockDate, first: file.firstBlock, last: file.lastBlock)
            try await lake.store.put(file: file.path, key: key, contentType: "application/vnd.apache.parquet")
            FleetMetrics.counter(FleetMetrics.bytesLake, [("entity", file.entity)]).increment(by: Int64(file.bytes))
            entries.append(LakeManifest.File(entity: file.entity, blockDate: file.blockDate, key: key, firstBlock: file.firstBlock,
                                             lastBlock: file.lastBlock, rows: file.rows, bytes: file.bytes))
        }
        let manifest = LakeManifest(firstBlock: summary.firstBlock, lastBlock: summary.lastBlock, files: entries)
        let scratch = scratchRoot.appendingPathComponent(".lake-manifest-\(UUID().uuidString).json")
        try FileManager.default.createDirectory(at: scratchRoot, withIntermediateDirectories: true)
        try manifest.encoded().write(to: scratch)
        defer { try? FileManager.default.removeItem(at: scratch) }
        try await lake.store.put(file: scratch.path, key: manifestKey, contentType: "application/json")
        let written = Set(entries.map(\.key))
        for stale in earlier?.files ?? [] where !written.contains(stale.key) {
            try await lake.store.delete(key: stale.key)
        }
        return lake.store.url(key: manifestKey)
    }
}
