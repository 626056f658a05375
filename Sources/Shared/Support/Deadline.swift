// Bounding an operation in time, for start-up steps that would otherwise wait forever.

/// An operation that did not finish in time, naming what it was.
public struct DeadlineExceeded: Error, CustomStringConvertible {
    public let operation: String
    public let limit: Duration
    public var description: String { "\(operation) did not finish within \(limit.seconds) s" }
}

/// Runs `operation`, cancelling it and throwing `DeadlineExceeded` when it takes longer than `limit`.
public func withDeadline<T: Sendable>(
    _ limit: Duration,
    _ operation: String,
    _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else {
            throw DeadlineExceeded(operation: operation, limit: limit)
        }
        return value
    }
}
