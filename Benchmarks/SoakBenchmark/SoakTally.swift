// What one simulated worker counted, and the fleet's sum of it.

import Foundation

struct SoakTally: Sendable {
    /// Milliseconds of each claim statement.
    var claimMilliseconds: [Double] = []
    var emptyClaims = 0
    var completed = 0
    var errors = 0

    mutating func add(_ other: SoakTally) {
        claimMilliseconds += other.claimMilliseconds
        emptyClaims += other.emptyClaims
        completed += other.completed
        errors += other.errors
    }
}

struct SoakReport: Sendable {
    var tally: SoakTally
    var seconds: Double
    /// Connections the workers held, read from pg_stat_activity during the run.
    var connections: Int?
    /// CPU seconds the PostgreSQL server's processes used during the run (ServerCPU).
    var serverCPUSeconds: Double = 0

    func print(title: String) {
        let sorted = tally.claimMilliseconds.sorted()
        func percentile(_ p: Double) -> Double {
            sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.down)))]
        }
        let figures = String(format: "%d jobs in %.1f s = %.0f jobs/s; %d claims (%d found nothing, %.1f %%); claim p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms",
                             tally.completed, seconds, Double(tally.completed) / seconds, sorted.count, tally.emptyClaims,
                             sorted.isEmpty ? 0 : Double(tally.emptyClaims) * 100 / Double(sorted.count),
                             percentile(0.5), percentile(0.99), percentile(0.999))
        let cpu = String(format: "; PostgreSQL CPU %.1f s (%.2f cores)", serverCPUSeconds, seconds > 0 ? serverCPUSeconds / seconds : 0)
        Swift.print("\(title): \(figures)" + cpu + (connections.map { "; \($0) worker connections" } ?? "")
                    + (tally.errors > 0 ? "; \(tally.errors) statement errors" : ""))
    }
}
