// `worker export`'s one-line progress on a terminal: blocks done, rate, ETA.

import Foundation

/// Renders progress for a person watching a terminal, at most `interval` apart so the line does
/// not cost the export anything. The rate is over the whole run so far, which is what the ETA
/// needs; a run's first second shows no rate rather than a wild one.
public struct ExportProgressLine: Sendable {
    public let total: UInt64
    public let interval: Duration
    private var lastShown: ContinuousClock.Instant?

    public init(total: UInt64, interval: Duration = .milliseconds(250)) {
        self.total = total
        self.interval = interval
    }

    /// The line for `done` blocks after `elapsed`, or nil when the previous one is too recent
    /// (the last block always gets a line).
    public mutating func update(done: UInt64, elapsed: Duration, now: ContinuousClock.Instant = .now) -> String? {
        if done < total, let lastShown, now - lastShown < interval { return nil }
        lastShown = now
        return Self.text(done: done, total: total, elapsed: elapsed)
    }

    /// `1200/10000 blocks (12.0 %)  840 blocks/s  ETA 10s`.
    public static func text(done: UInt64, total: UInt64, elapsed: Duration) -> String {
        let share = total > 0 ? Double(done) / Double(total) * 100 : 100
        var line = "\(done)/\(total) blocks (\(String(format: "%.1f", share)) %)"
        let seconds = elapsed.seconds
        guard seconds >= 1, done > 0 else { return line }
        let rate = Double(done) / seconds
        line += "  \(String(format: "%.0f", rate)) blocks/s"
        if done < total { line += "  ETA \(CompactDuration.text(Double(total - done) / rate))" }
        return line
    }
}
