// A model job's payload: what the range loaded, and which models must run even if applied.

import Foundation

/// Written by the queue when a range's last load succeeds (`entities` from its load jobs) or by
/// `coordinator models backfill` (`force`: the models to run again on every range).
public struct ModelRequest: Sendable, Codable, Equatable {
    /// Entities loaded for the range; checks and models needing others are skipped.
    public let entities: [String]
    /// Models to run even where the runs table says they were applied.
    public let force: [String]?
    /// The first planned block (the lowest export range's first block) when the job was enqueued:
    /// decoded tables' high-water marks count from it. nil in jobs enqueued by older versions.
    public let origin: Int64?

    public init(entities: [String], force: [String]? = nil, origin: Int64? = nil) {
        self.entities = entities
        self.force = force
        self.origin = origin
    }

    public static func decode(_ payload: String) throws(ModelError) -> ModelRequest {
        do {
            return try JSONDecoder().decode(ModelRequest.self, from: Data(payload.utf8))
        } catch {
            throw ModelError(.invalidRequest, "the payload is not a model request (\(error)): \(payload.prefix(200))")
        }
    }
}

/// What a model job did, kept in the job's result.
public struct ModelRunSummary: Sendable, Codable, Equatable {
    /// Checks that ran and passed.
    public var verified: [String] = []
    /// Models that ran on the range in this job.
    public var applied: [String] = []
    /// Models already applied to the range with the same SQL.
    public var upToDate: [String] = []
    /// Models not run, with why (an entity not loaded for the range).
    public var skipped: [String: String] = [:]
    /// What the decode stage did (nil when no table is decoded).
    public var decoded: DecodeRunSummary?
    /// Where the job's time went, in milliseconds: `verify`, `decode`, each applied model (its
    /// statements) and `lock <model>` (waiting for a serialised model's lock, when it did).
    /// Benchmarks/end-to-end sums these over the jobs; nil in results of older workers.
    public var milliseconds: [String: Int]?

    enum CodingKeys: String, CodingKey {
        case verified, applied, upToDate = "up_to_date", skipped, decoded, milliseconds
    }
}
