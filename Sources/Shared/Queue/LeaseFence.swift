// Fencing writes the queue does not hold (the lake's shared keys) by the attempt's lease.

/// Tells whether an attempt still holds its job, and for how long: a write to a key that other
/// attempts also write starts only while the lease is held and must end before it could expire,
/// so a zombie (lease taken over) can no longer write there.
public protocol LeaseFence: Sendable {
    /// The time left on `lease`, or nil when another attempt holds the job or the lease expired.
    func remainingLease(_ lease: JobLease) async throws -> Duration?
}

extension JobQueue: LeaseFence {
    public func remainingLease(_ lease: JobLease) async throws -> Duration? {
        let query = QueueSQL.leaseRemaining(id: lease.id, token: lease.token)
        return try await bounded("checking a lease") { [logger] connection in
            for try await seconds in try await connection.checkedQuery(query, logger: logger).decode(Double.self) {
                return .milliseconds(Int64(seconds * 1000))
            }
            return nil
        }
    }
}
