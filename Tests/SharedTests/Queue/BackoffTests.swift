// Backoff: doubling, the cap, and the jitter's bounds.

import TestSupport
import Testing
@testable import Shared

@Suite("Backoff")
struct BackoffTests {
    @Test("without jitter the delay doubles per attempt up to the cap")
    func doublesUpToCap() {
        var random = SeededGenerator(state: 1)
        let backoff = Backoff(base: .seconds(2), cap: .seconds(30), jitter: 0)
        let delays = (1...6).map { backoff.delay(afterAttempt: $0, using: &random) }
        #expect(delays == [.seconds(2), .seconds(4), .seconds(8), .seconds(16), .seconds(30), .seconds(30)])
    }

    @Test("jitter keeps each delay within [(1 - jitter)·d, d] and actually varies it")
    func jitterBounds() {
        var random = SeededGenerator(state: 42)
        let backoff = Backoff(base: .seconds(10), cap: .seconds(100), jitter: 0.5)
        let samples = (0..<200).map { _ in backoff.delay(afterAttempt: 2, using: &random) }
        #expect(samples.allSatisfy { $0 >= .seconds(10) && $0 <= .seconds(20) })
        #expect(Set(samples).count > 50)
    }

    @Test("huge attempt numbers do not overflow")
    func hugeAttempts() {
        #expect(Backoff(base: .seconds(1), cap: .seconds(600), jitter: 0).delay(afterAttempt: 10_000) == .seconds(600))
    }

    @Test("errors are retryable unless they say otherwise")
    func classification() {
        struct Plain: Error {}
        #expect(Plain().isRetryableJobError)
        #expect(JobError(.transient, "x").isRetryableJobError)
        #expect(!JobError(.invalidJob, "x").isRetryableJobError)
        #expect(JobError(.inconsistentData, "x").isRetryableJobError)
    }
}
