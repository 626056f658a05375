// A load job's payload: which staged object to load and what it must contain.

import Foundation

/// What an export hands a loader: the staged file with its expected row count and checksum, and
/// where it was staged, so a loader configured for another store refuses instead of guessing.
public struct LoadRequest: Sendable, Codable, Equatable {
    public let staging: String
    public let manifest: String
    public let file: StagingManifest.File

    public init(staging: String, manifest: String, file: StagingManifest.File) {
        self.staging = staging
        self.manifest = manifest
        self.file = file
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
