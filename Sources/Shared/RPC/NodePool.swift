// A pool of JSON-RPC replicas: least-outstanding balancing, head tracking, circuit breakers, retries.

import AsyncHTTPClient
import Foundation
import Logging

/// Sends calls to the least-loaded healthy replica that has the block asked for, in batches sized
/// to what each replica accepts, retrying what failed (on another replica when there is one) with
/// jittered backoff that honours Retry-After.
///
/// Retried: timeouts, connection errors, HTTP 429 and 5xx, JSON-RPC -32000…-32099, null results
/// (a replica not synced that far) and malformed answers. Not retried: "method not found"
/// (the caller may have a fallback) and other client errors.
public actor NodePool {
    public let configuration: NodePoolConfiguration
    nonisolated let transport: JSONRPCTransport
    nonisolated let logger: Logger
    private var states: [EndpointState]
    private var nextTieBreak = 0
    private var refreshing = false

    public init(configuration: NodePoolConfiguration, http: HTTPClient, logger: Logger) {
        self.configuration = configuration
        self.transport = JSONRPCTransport(http: http, timeout: configuration.timeout)
        self.logger = logger
        let now = ContinuousClock.now
        self.states = configuration.endpoints.map {
            EndpointState(endpoint: $0, batchSize: configuration.batchSize, cooldown: configuration.breakerCooldown, burst: max(configuration.rateLimit ?? 1, 1), now: now)
        }
    }

    /// A snapshot of each endpoint, for status and tests.
    public struct EndpointStatus: Sendable, Equatable {
        public let name: String
        public let head: UInt64?
        public let batchSize: Int
        public let calls: Int
        public let failures: Int
        public let circuitOpen: Bool
    }

    public func status() -> [EndpointStatus] {
        let now = ContinuousClock.now
        return states.map {
            EndpointStatus(name: $0.endpoint.name, head: $0.head, batchSize: $0.batchSize, calls: $0.calls, failures: $0.failures, circuitOpen: ($0.openUntil ?? now) > now)
        }
    }

    // MARK: Calling

    /// Runs `calls`, returning their results in order. Throws the last error once a call has
    /// failed `attempts` times, or at once for a non-retryable error.
    public nonisolated func call<T: Decodable & Sendable>(_ calls: [RPCRequest], as type: T.Type) async throws -> [T] {
        try await run(calls, as: type, keepingCallErrors: false).map { try $0!.get() }
    }

    /// Like `call`, but a call the node answered with a JSON-RPC error (a reverted `eth_call`)
    /// gives that error in its slot instead of failing the batch. Node trouble ("header not
    /// found", rate limits, size limits, null results, transport errors) is still retried.
    public nonisolated func callEach<T: Decodable & Sendable>(_ calls: [RPCRequest], as type: T.Type) async throws -> [Result<T, RPCError>] {
        try await run(calls, as: type, keepingCallErrors: true).map { $0! }
    }

    private nonisolated func run<T: Decodable & Sendable>(_ calls: [RPCRequest], as type: T.Type, keepingCallErrors: Bool) async throws -> [Result<T, RPCError>?] {
        var results = [Result<T, RPCError>?](repeating: nil, count: calls.count)
        var pending = Array(calls.indices)
        var attempt = 0
        var sizeRetries = 0
        var lastError: RPCError?
        // The replica each call last failed on: its retry goes to another one when there is one
        // (a replica that stalled or erred is the likeliest to do it again).
        var failedOn: [Int: Int] = [:]
        await refreshHeadsIfStale()
        while !pending.isEmpty {
            attempt += 1
            guard attempt <= configuration.attempts else {
                throw lastError ?? RPCError(.noEndpoint, "gave up after \(configuration.attempts) attempts")
            }
            let outcomes = try await sendRound(pending, of: calls, as: type, failedOn: failedOn)
            var failed: [Int] = []
            var wait: Double = 0
            var onlySizeErrors = true
            for outcome in outcomes {
                switch outcome.result {
                case .failure(let error):
                    guard error.isRetryable else { throw error }
                    failed += outcome.indices
                    for index in outcome.indices { failedOn[index] = outcome.endpointIndex }
                    lastError = error
                    wait = max(wait, error.retryAfter ?? 0)
                    if error.code != .batchTooLarge && error.code != .responseTooLarge { onlySizeErrors = false }
                case .success(let responses):
                    for (index, response) in zip(outcome.indices, responses) {
                        if let result = response.result {
                            results[index] = .success(result)
                            continue
                        }
                        let error: RPCError
                        if let failure = response.error {
                            error = JSONRPCTransport.classify(failure, endpoint: outcome.endpoint.name, method: calls[index].method)
                            if keepingCallErrors, error.isCallOutcome {
                                results[index] = .failure(error)
                                continue
                            }
                            if error.code == .methodNotFound { await noteMissing(calls[index].method, on: outcome.endpointIndex) }
                            guard error.isRetryable else { throw error }
                            if error.code == .responseTooLarge { await shrinkBatch(outcome.endpointIndex) }
                        } else {
                            error = RPCError(.nullResult, endpoint: outcome.endpoint.name, method: calls[index].method,
                                             "null result for \(calls[index]); the replica may be behind")
                            if let block = calls[index].block { await noteBehind(outcome.endpointIndex, block: block) }
                        }
                        if error.code != .responseTooLarge { onlySizeErrors = false }
                        failed.append(index)
                        failedOn[index] = outcome.endpointIndex
                        lastError = error
                    }
                }
            }
            pending = failed.sorted()
            guard !pending.isEmpty else { break }
            if onlySizeErrors, sizeRetries < 16 {
                // A smaller batch is the fix, not a later attempt.
                sizeRetries += 1
                attempt -= 1
                continue
            }
            let delay = max(configuration.backoff.delay(afterAttempt: attempt).seconds, wait)
            logger.debug("retrying RPC calls", metadata: ["calls": "\(pending.count)", "attempt": "\(attempt)", "error": "\(lastError.map(String.init(describing:)) ?? "")"])
            try await Task.sleep(for: .milliseconds(Int64(delay * 1000)))
        }
        return results
    }

    /// One call, one result.
    public nonisolated func call<T: Decodable & Sendable>(_ call: RPCRequest, as type: T.Type) async throws -> T {
        try await self.call([call], as: type)[0]
    }

    /// Sends every pending call once, in chunks spread over the replicas, concurrently.
    private nonisolated func sendRound<T: Decodable & Sendable>(_ pending: [Int], of calls: [RPCRequest], as type: T.Type, failedOn: [Int: Int]) async throws -> [(indices: [Int], endpointIndex: Int, endpoint: RPCEndpoint, result: Result<[RPCResponse<T>], RPCError>)] {
        try await withThrowingTaskGroup(of: (indices: [Int], endpointIndex: Int, endpoint: RPCEndpoint, result: Result<[RPCResponse<T>], RPCError>).self) { group in
            var remaining = pending[...]
            while !remaining.isEmpty {
                let window = remaining.prefix(configuration.batchSize)
                let required = window.compactMap { calls[$0].block }.max()
                let avoid = Set(window.compactMap { failedOn[$0] })
                let lease = try await lease(required: required, method: calls[window.first!].method, count: window.count, avoiding: avoid)
                let chunk = Array(remaining.prefix(lease.batchSize))
                remaining = remaining.dropFirst(chunk.count)
                group.addTask {
                    let chunkCalls = chunk.map { calls[$0] }
                    do {
                        let responses = try await self.transport.send(chunkCalls, to: lease.endpoint, as: type)
                        await self.finish(lease.index, count: chunk.count, error: nil)
                        return (chunk, lease.index, lease.endpoint, .success(responses))
                    } catch {
                        let failure = (error as? RPCError) ?? RPCError(.transport, endpoint: lease.endpoint.name, "\(error)")
                        await self.finish(lease.index, count: chunk.count, error: failure)
                        return (chunk, lease.index, lease.endpoint, .failure(failure))
                    }
                }
            }
            var outcomes: [(indices: [Int], endpointIndex: Int, endpoint: RPCEndpoint, result: Result<[RPCResponse<T>], RPCError>)] = []
            for try await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
    }

    // MARK: Choosing a replica

    struct Lease: Sendable {
        let index: Int
        let endpoint: RPCEndpoint
        let batchSize: Int
    }

    private enum Choice {
        case lease(Lease)
        case wait(Duration)
        case refreshHeads
        case none(String)
    }

    /// Waits for a replica that can take `count` calls up to block `required`.
    private nonisolated func lease(required: UInt64?, method: String, count: Int, avoiding avoid: Set<Int> = []) async throws -> Lease {
        var refreshed = false
        var waited = Duration.zero
        while true {
            switch await choose(required: required, method: method, count: count, avoiding: avoid) {
            case .lease(let lease):
                return lease
            case .wait(let duration):
                guard waited < configuration.timeout else {
                    throw RPCError(.noEndpoint, method: method, "no replica became available within \(configuration.timeout.seconds) s")
                }
                try await Task.sleep(for: duration)
                waited += duration
            case .refreshHeads where !refreshed:
                refreshed = true
                await refreshHeads()
            case .refreshHeads:
                throw RPCError(.noEndpoint, method: method, await behindMessage(required))
            case .none(let message):
                throw RPCError(.noEndpoint, method: method, message)
            }
        }
    }

    private func choose(required: UInt64?, method: String, count: Int, avoiding avoid: Set<Int>) -> Choice {
        let now = ContinuousClock.now
        let serving = states.indices.filter { !states[$0].missingMethods.contains(method) }
        guard !serving.isEmpty else {
            return .none("no replica has \(method) (all answered method not found)")
        }
        let synced = serving.filter { states[$0].has(required) }
        guard !synced.isEmpty else { return .refreshHeads }
        let available = synced.filter { states[$0].isAvailable(at: now) }
        guard !available.isEmpty else {
            let reopen = synced.compactMap { max(states[$0].openUntil ?? now, states[$0].blockedUntil ?? now) }.min() ?? now
            return .wait(max(.milliseconds(10), min(reopen - now, .seconds(1))))
        }
        let others = available.filter { !avoid.contains($0) }
        let candidates = others.isEmpty ? available : others
        nextTieBreak &+= 1
        let rotation = nextTieBreak
        let best = candidates.min { a, b in
            (states[a].outstanding, (a + rotation) % states.count) < (states[b].outstanding, (b + rotation) % states.count)
        }!
        if let wait = states[best].takeTokens(Double(min(count, states[best].batchSize)), rate: configuration.rateLimit, now: now) {
            return .wait(wait)
        }
        let size = min(count, states[best].batchSize)
        states[best].outstanding += size
        states[best].calls += size
        return .lease(Lease(index: best, endpoint: states[best].endpoint, batchSize: size))
    }

    private func finish(_ index: Int, count: Int, error: (any Error)?) {
        states[index].outstanding -= count
        let now = ContinuousClock.now
        guard let error = error as? RPCError else {
            states[index].recordSuccess()
            return
        }
        switch error.code {
        case .batchTooLarge, .responseTooLarge:
            shrinkBatch(index)
        case .rateLimited:
            states[index].blockedUntil = now + .milliseconds(Int64((error.retryAfter ?? 1) * 1000))
        default:
            break
        }
        if error.countsAgainstEndpoint || error.code == .rateLimited {
            let wasOpen = (states[index].openUntil ?? now) > now
            states[index].recordFailure(threshold: configuration.breakerThreshold, baseCooldown: configuration.breakerCooldown, now: now)
            if !wasOpen, let until = states[index].openUntil, until > now {
                logger.warning("replica circuit opened", metadata: ["endpoint": "\(states[index].endpoint.name)", "error": "\(error)"])
            }
        }
    }

    private func shrinkBatch(_ index: Int) {
        let smaller = max(1, states[index].batchSize / 2)
        if smaller < states[index].batchSize {
            logger.info("replica refused the batch size; halving it", metadata: ["endpoint": "\(states[index].endpoint.name)", "batch_size": "\(smaller)"])
        }
        states[index].batchSize = smaller
    }

    private func noteMissing(_ method: String, on index: Int) {
        states[index].missingMethods.insert(method)
    }

    private func noteBehind(_ index: Int, block: UInt64) {
        states[index].head = min(states[index].head ?? block &- 1, block &- 1)
        states[index].headCheckedAt = ContinuousClock.now
    }

    private func behindMessage(_ required: UInt64?) -> String {
        let heads = states.map { "\($0.endpoint.name) at \($0.head.map(String.init) ?? "unknown")" }.joined(separator: ", ")
        return "every replica is behind block \(required.map(String.init) ?? "?"): \(heads)"
    }

    // MARK: Heads

    /// Asks every replica whose circuit is closed for its head (`eth_blockNumber`), concurrently:
    /// a replica that stalls would otherwise hold up the caller that refreshes for a whole timeout
    /// on every refresh.
    public nonisolated func refreshHeads() async {
        let endpoints = await reachableEndpoints()
        await withTaskGroup(of: Void.self) { group in
            for (index, endpoint) in endpoints {
                group.addTask {
                    do {
                        let responses = try await self.transport.send([.blockNumber], to: endpoint, as: String.self)
                        guard let text = responses.first?.result, let head = HexText.uint64(text) else {
                            throw RPCError(.malformedResponse, endpoint: endpoint.name, method: "eth_blockNumber", "no block number in the answer")
                        }
                        await self.setHead(index, head)
                    } catch {
                        await self.finish(index, count: 0, error: error)
                    }
                }
            }
        }
    }

    private func setHead(_ index: Int, _ head: UInt64) {
        states[index].head = head
        states[index].headCheckedAt = ContinuousClock.now
        states[index].recordSuccess()
    }

    private func reachableEndpoints() -> [(Int, RPCEndpoint)] {
        let now = ContinuousClock.now
        return states.indices.filter { (states[$0].openUntil ?? now) <= now }.map { ($0, states[$0].endpoint) }
    }

    private func headsAreStale() -> Bool {
        guard !refreshing else { return false }
        let now = ContinuousClock.now
        return states.contains { state in
            (state.openUntil ?? now) <= now && (state.headCheckedAt.map { now - $0 > configuration.headTTL } ?? true)
        }
    }

    private func setRefreshing(_ value: Bool) { refreshing = value }

    private nonisolated func refreshHeadsIfStale() async {
        guard await headsAreStale() else { return }
        await setRefreshing(true)
        await refreshHeads()
        await setRefreshing(false)
    }

    /// The highest head any replica reports.
    public func highestHead() -> UInt64? { states.compactMap(\.head).max() }
}
