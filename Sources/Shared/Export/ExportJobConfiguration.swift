// Where export jobs write before staging and how hard they compress; every field has a documented default.

import Foundation

/// Settings of a worker's export jobs. Environment variables set them.
public struct ExportJobConfiguration: Sendable, Equatable {
    /// Folder for a job's files until they are staged; each job gets a sub-folder, removed after.
    /// Default `$TMPDIR/blockfleet-scratch` (`BLOCKFLEET_SCRATCH_DIR`).
    public var scratchDirectory: URL
    /// gzip level of staged files, 1–9 (`RangeExporter.gzipLevel`). Default 1, ISA-L's igzip
    /// (`BLOCKFLEET_STAGING_GZIP_LEVEL`): faster than zlib's 1 and smaller than its 9 on export CSV.
    public var gzipLevel: Int32
    /// The lake export jobs also write, as Parquet per entity and UTC date: `file:///path` or
    /// `s3://bucket/prefix`. Default none (`BLOCKFLEET_LAKE_URL`).
    public var lake: StagingLocation?

    public static var defaultScratchDirectory: URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("blockfleet-scratch")
    }

    public init(scratchDirectory: URL = ExportJobConfiguration.defaultScratchDirectory, gzipLevel: Int32 = 1, lake: StagingLocation? = nil) {
        self.scratchDirectory = scratchDirectory
        self.gzipLevel = gzipLevel
        self.lake = lake
    }

    public init(environment: Environment) throws(ConfigurationError) {
        self.init()
        if let path = environment.string("BLOCKFLEET_SCRATCH_DIR") { scratchDirectory = URL(fileURLWithPath: path) }
        if let level = try environment.int("BLOCKFLEET_STAGING_GZIP_LEVEL", range: 1...9) { gzipLevel = Int32(level) }
        if let text = environment.string("BLOCKFLEET_LAKE_URL") { lake = try StagingLocation(parsing: text, setting: "BLOCKFLEET_LAKE_URL") }
    }
}
