// Where the lake keeps each entity's Parquet files and each range's manifest.

/// The lake's keys, Hive-partitioned by UTC block date so engines prune by `block_date`:
/// `{prefix}/{entity}/block_date=YYYY-MM-DD/{first:010}-{last:010}.parquet`, where first and
/// last are the blocks of the range that fall on that date (a range over midnight has two files
/// per entity), and `{prefix}/_manifests/{first:010}-{last:010}.json` per exported range. The
/// keys name no attempt: re-exporting a range writes the same keys, replacing its files.
public struct LakeKeys: Sendable, Equatable {
    /// The key prefix (the S3 prefix of `BLOCKFLEET_LAKE_URL`; empty for a folder).
    public let prefix: String

    public init(prefix: String) {
        var prefix = prefix
        while prefix.hasSuffix("/") { prefix.removeLast() }
        self.prefix = prefix
    }

    /// The Parquet file of an entity's blocks `first…last`, all of `date` (`YYYY-MM-DD`, a
    /// `BlockDate`'s text).
    public func file(entity: ExportEntity, date: String, first: UInt64, last: UInt64) -> String {
        joined("\(entity.rawValue)/block_date=\(date)/\(StagingKeys.rangeName(first: first, last: last)).parquet")
    }

    /// The folder of an entity's `date` partition, ending in `/` (what a catalog registers as
    /// the partition's location).
    public func partition(entity: ExportEntity, date: String) -> String {
        joined("\(entity.rawValue)/block_date=\(date)/")
    }

    /// The manifest of the exported range `first…last`, written after its files.
    public func manifest(first: UInt64, last: UInt64) -> String {
        joined("_manifests/\(StagingKeys.rangeName(first: first, last: last)).json")
    }

    private func joined(_ key: String) -> String { prefix.isEmpty ? key : "\(prefix)/\(key)" }
}
