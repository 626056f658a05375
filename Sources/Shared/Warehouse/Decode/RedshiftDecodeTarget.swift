// Where the decode stage's rows go on their way into Redshift: gzipped JSON lines in the staging
// store, each with a COPY manifest, under keys of the model job's attempt.

import Foundation
import NIOCore

/// What the decode stage needs to write Redshift: the staging store (S3) it stages decoded rows
/// in, the role Redshift's COPY assumes, and the keys' prefix. Like export staging, every key
/// names the model job's attempt (`j<job>-a<lease token>`), so an attempt that lost its lease
/// and still runs can never overwrite the object the attempt holding the lease COPYs; objects of
/// superseded attempts are left to the bucket's lifecycle rule, as staged exports are.
public struct RedshiftDecodeTarget: Sendable {
    public let store: any StagingStore
    public let iamRole: String
    public let region: String?
    /// The staging key prefix (`StagingLocation.keyPrefix`), without leading or trailing `/`.
    public let prefix: String

    public init(store: any StagingStore, iamRole: String, region: String?, prefix: String) {
        self.store = store
        self.iamRole = iamRole
        self.region = region
        var prefix = prefix
        while prefix.hasPrefix("/") { prefix.removeFirst() }
        while prefix.hasSuffix("/") { prefix.removeLast() }
        self.prefix = prefix
    }

    /// `{prefix}/_decoded/{dataset}.{table}/{first:010}-{last:010}/{attempt}.json.gz`.
    /// `attempt` is `j<job>-a<lease token>` (`StagingKeys.Attempt.name`), or a random name for a
    /// run outside a claimed job (tests, a runner called directly).
    public func key(_ definition: DecodedTableDefinition, first: Int64, last: Int64, attempt: String) -> String {
        let rest = "_decoded/\(definition.warehouseSchema).\(definition.warehouseTable)/"
            + StagingKeys.rangeName(first: UInt64(max(0, first)), last: UInt64(max(0, last))) + "/\(attempt).json.gz"
        return prefix.isEmpty ? rest : "\(prefix)/\(rest)"
    }

    /// Gzips `rows` into the store under `key`, then its COPY manifest (`key.copy-manifest.json`,
    /// listing exactly that object with its length); returns the manifest's URL for the COPY.
    public func stage(_ rows: ByteBuffer, key: String, scratch: URL = FileManager.default.temporaryDirectory) async throws -> String {
        let url = store.url(key: key)
        guard url.hasPrefix("s3://") else {
            throw LoadError(.invalidRequest, "decoded rows for Redshift must be staged on S3 (Redshift's COPY reads s3:// objects); the staging store is \(store.location)")
        }
        let file = scratch.appendingPathComponent("bf-decoded-\(UUID().uuidString).json.gz")
        let manifestFile = scratch.appendingPathComponent("bf-decoded-\(UUID().uuidString).copy-manifest.json")
        defer {
            try? FileManager.default.removeItem(at: file)
            try? FileManager.default.removeItem(at: manifestFile)
        }
        guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
            throw LoadError(.invalidRequest, "cannot create \(file.path) to stage decoded rows")
        }
        let handle = try FileHandle(forWritingTo: file)
        let bytes: Int
        do {
            defer { try? handle.close() }
            let sink = try GzipFileSink(handle)
            try sink.write(Array(rows.readableBytesView))
            bytes = try sink.finish().bytes
        }
        try await store.put(file: file.path, key: key, contentType: "application/gzip")
        let manifestKey = StagingKeys.copyManifest(file: key)
        try RedshiftCopyManifest(url: url, bytes: bytes).encoded().write(to: manifestFile)
        try await store.put(file: manifestFile.path, key: manifestKey, contentType: "application/json")
        return store.url(key: manifestKey)
    }
}
