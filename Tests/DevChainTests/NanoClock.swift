// NanoClock: a settable nanosecond clock so rate-limiter tests do not depend on time passing.

/// Tests mutate it from one task only; the rate limiter reads it through its clock closure.
final class NanoClock: @unchecked Sendable {
    var value: UInt64 = 1_000_000_000
}
