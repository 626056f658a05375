// The `noop` and `sleep` runners: trivial work that exercises the whole fleet protocol.

import Foundation

/// Parameters of drill jobs, read from the job's payload.
struct DrillPayload: Decodable {
    /// Seconds a `sleep` job sleeps.
    var seconds: Double?
    /// Kind of the follow-up job to create on success, covering the same range (the outbox path).
    var followUpKind: String?
    /// Makes the job fail: `retryable` or `permanent` (fault drills).
    var fail: String?

    enum CodingKeys: String, CodingKey {
        case seconds
        case followUpKind = "follow_up_kind"
        case fail
    }

    static func decode(_ job: ClaimedJob) throws -> DrillPayload {
        do {
            return try JSONDecoder().decode(DrillPayload.self, from: Data(job.payload.utf8))
        } catch {
            throw JobError(.invalidJob, "job \(job.id): payload is not a valid \(job.kind) payload: \(error)")
        }
    }

    func outcome(for job: ClaimedJob) throws -> JobOutcome {
        switch fail {
        case nil: break
        case "permanent": throw JobError(.invalidJob, "job \(job.id): drill asked for a permanent failure")
        case "retryable": throw JobError(.transient, "job \(job.id): drill asked for a retryable failure")
        case let other?: throw JobError(.invalidJob, "job \(job.id): unknown fail mode '\(other)' (retryable, permanent)")
        }
        let followUps = followUpKind.map {
            [NewJob(kind: JobKind(rawValue: $0), firstBlock: job.firstBlock, lastBlock: job.lastBlock, priority: job.priority)]
        } ?? []
        return JobOutcome(result: #"{"attempt":\#(job.attempt)}"#, followUps: followUps)
    }
}

/// Completes at once (or fails as its payload asks).
public struct NoopRunner: JobRunner {
    public init() {}
    public func run(_ job: ClaimedJob) async throws -> JobOutcome {
        try DrillPayload.decode(job).outcome(for: job)
    }
}

/// Sleeps for the payload's `seconds` (default 1), then completes like `noop`.
public struct SleepRunner: JobRunner {
    public init() {}
    public func run(_ job: ClaimedJob) async throws -> JobOutcome {
        let payload = try DrillPayload.decode(job)
        let seconds = payload.seconds ?? 1
        guard seconds >= 0, seconds.isFinite else {
            throw JobError(.invalidJob, "job \(job.id): sleep seconds must be ≥ 0, got \(seconds)")
        }
        try await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
        return try payload.outcome(for: job)
    }
}
