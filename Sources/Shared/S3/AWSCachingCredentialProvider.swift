// Temporary credentials fetched once, shared, and refreshed before they expire.

import Foundation
import Logging

/// Wraps a fetching provider (STS, pod identity): hands out the cached credentials until they
/// are within `refreshMargin` of expiry, then fetches again. Concurrent callers during a refresh
/// all wait for the same fetch, so a burst of uploads makes one STS call, not a hundred.
/// If a refresh fails while the old credentials are still valid, those are used (and the next
/// call tries again), so a brief STS outage does not fail uploads.
public actor AWSCachingCredentialProvider: AWSCredentialProvider {
    private let fetch: @Sendable () async throws -> AWSCredentials
    private let name: String
    /// How long before expiry a refresh starts. Default 5 minutes, as the AWS SDKs.
    public let refreshMargin: Duration
    private let now: @Sendable () -> Date
    private let logger: Logger
    private var cached: AWSCredentials?
    private var refreshing: Task<AWSCredentials, any Error>?
    /// Completed fetches, for tests and metrics.
    public private(set) var fetchCount = 0

    public init(
        name: String,
        refreshMargin: Duration = .seconds(300),
        logger: Logger = Logger(label: "blockfleet.s3.credentials"),
        now: @escaping @Sendable () -> Date = { Date() },
        fetch: @escaping @Sendable () async throws -> AWSCredentials
    ) {
        self.name = name
        self.fetch = fetch
        self.refreshMargin = refreshMargin
        self.now = now
        self.logger = logger
    }

    public init(wrapping provider: some AWSCredentialProvider, name: String, refreshMargin: Duration = .seconds(300), logger: Logger = Logger(label: "blockfleet.s3.credentials")) {
        self.init(name: name, refreshMargin: refreshMargin, logger: logger) { try await provider.credentials() }
    }

    public func credentials() async throws -> AWSCredentials {
        if let cached, !needsRefresh(cached) { return cached }
        let task: Task<AWSCredentials, any Error>
        if let refreshing {
            task = refreshing
        } else {
            // Unstructured, so one caller's cancellation does not fail the others' refresh.
            task = Task { [fetch] in try await fetch() }
            refreshing = task
        }
        do {
            let fresh = try await task.value
            if refreshing == task {
                refreshing = nil
                cached = fresh
                fetchCount += 1
                logger.debug("credentials refreshed", metadata: ["source": "\(name)", "expires": "\(fresh.expiration.map { "\($0)" } ?? "never")"])
            }
            return fresh
        } catch {
            if refreshing == task { refreshing = nil }
            if let cached, let expiration = cached.expiration, expiration > now() {
                logger.warning("credential refresh failed, using the current ones until they expire", metadata: ["source": "\(name)", "error": "\(error)"])
                return cached
            }
            throw error
        }
    }

    private func needsRefresh(_ credentials: AWSCredentials) -> Bool {
        guard let expiration = credentials.expiration else { return false }
        return expiration.timeIntervalSince(now()) <= refreshMargin.s3Seconds
    }
}

extension Duration {
    /// Seconds as a Double (named apart from the project's own `seconds` extension).
    var s3Seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
