// A load job's payload: which staged object to load and what it must contain.

import Foundation

/// What an export hands a loader: the staged file with its expected row count and checksum, and
/// where it was staged, so a loader configured for another store refuses instead of guessing.
/// The keys are those of the attempt that completed the export (`StagingKeys.Attempt`), which no
/// other attempt writes, so the loader reads exactly what that attempt staged.
public struct LoadRequest: Sendable, Codable, Equatable {
    public let staging: String
    /// The staging manifest of the completing attempt.
    public let manifest: String
    public let file: StagingManifest.File
    /// The lease token of the export attempt that staged `file` (nil in requests of older workers).
    public let attempt: Int64?
    /// The Redshift COPY manifest listing exactly `file.key` (nil when the store is not S3, and in
    /// requests of older workers, which a Redshift load refuses).
    public let copyManifest: String?
    /// A Redshift COPY manifest (in the staging store, under the attempt's keys) listing the
    /// entity's Parquet files of the range in the lake, for `BLOCKFLEET_REDSHIFT_COPY_FROM=lake`;
    /// nil without an S3 lake and staging.
    public var lakeCopyManifest: String?
    /// The lake's date partitions of this entity that the range's files are in, each an S3
    /// folder (`s3://bucket/prefix/entity/block_date=YYYY-MM-DD/`): a Redshift loader with a
    /// Spectrum schema (`BLOCKFLEET_REDSHIFT_SPECTRUM_SCHEMA`) registers them. Nil without an S3
    /// lake, and in requests of older workers.
    public var lakePartitions: [LakePartition]?

    /// One `block_date` partition folder of the lake.
    public struct LakePartition: Sendable, Codable, Equatable {
        public let blockDate: String
        public let folder: String

        public init(blockDate: String, folder: String) {
            self.blockDate = blockDate
            self.folder = folder
        }

        enum CodingKeys: String, CodingKey {
            case blockDate = "block_date", folder
        }
    }

    public init(staging: String, manifest: String, file: StagingManifest.File, attempt: Int64? = nil, copyManifest: String? = nil, lakeCopyManifest: String? = nil) {
        self.staging = staging
        self.manifest = manifest
        self.file = file
        self.attempt = attempt
        self.copyManifest = copyManifest
        self.lakeCopyManifest = lakeCopyManifest
    }

    enum CodingKeys: String, CodingKey {
        case staging, manifest, file, attempt, copyManifest = "copy_manifest", lakeCopyManifest = "lake_copy_manifest",
             lakePartitions = "lake_partitions"
    }

    public func encoded() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    public static func decode(_ payload: String) throws -> LoadRequest {
        try JSONDecoder().decode(LoadRequest.self, from: Data(payload.utf8))
    }
}
