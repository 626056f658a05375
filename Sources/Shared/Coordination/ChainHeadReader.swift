// How far the chain is safe to plan: the nodes' finalized block, or head − confirmations.

import Foundation
import Logging

/// The chain as the nodes report it.
public struct ChainTip: Sendable, Equatable, Codable {
    /// The `latest` block the answering replicas agree on (see `ChainHeadReader.agreed`).
    public let head: UInt64
    /// The `finalized` block they agree on; nil when no node has the tag (pre-merge, some L2s).
    public let finalized: UInt64?
    /// The last block follow mode may plan: `finalized`, else head − confirmations.
    public let target: UInt64

    /// Blocks from `block` up to the head, 0 when at or past it; never traps, whatever the nodes said.
    public func lag(after block: Int64) -> Int64 {
        let (lag, overflow) = Int64(clamping: head).subtractingReportingOverflow(block)
        return overflow ? .max : max(lag, 0)
    }
}

/// Asks every node for `eth_blockNumber` and `eth_getBlockByNumber("finalized", false)`.
///
/// One replica must not decide the head: a bogus answer (2⁶⁴ − 1, or a huge but smaller number)
/// would plan millions of junk jobs and move follow mode's resume point past them. The head used
/// is the highest block a majority of the answering replicas have reached (the median of three);
/// a replica far above it is an outlier, logged and counted, never planned from. A lagging replica
/// holds planning back only while it is in the majority's way, by its lag.
public struct ChainHeadReader: Sendable {
    public let transport: JSONRPCTransport
    public let endpoints: [RPCEndpoint]
    /// Blocks kept behind the head when no node reports a finalized block.
    public let confirmations: UInt64
    /// A replica whose head is more than this many blocks above the agreed head is reported as an
    /// outlier. Default 1024 (more than any honest replica runs ahead of its peers).
    public let outlierMargin: UInt64
    let logger: Logger?

    public init(transport: JSONRPCTransport, endpoints: [RPCEndpoint], confirmations: UInt64, outlierMargin: UInt64 = 1024, logger: Logger? = nil) {
        self.transport = transport
        self.endpoints = endpoints
        self.confirmations = confirmations
        self.outlierMargin = outlierMargin
        self.logger = logger
    }

    struct HeaderNumber: Decodable, Sendable { let number: String }

    /// One replica's answer. A struct, not a tuple holding a `Result`: a release build (Swift
    /// 6.3.1) handed such task-group results back corrupted, and the coordinator crashed.
    struct ReplicaAnswer: Sendable {
        let endpoint: String
        let head: UInt64?
        let finalized: UInt64?
        let error: (any Error)?
    }

    public func read() async throws -> ChainTip {
        let answers = await withTaskGroup(of: ReplicaAnswer.self) { group in
            for endpoint in endpoints {
                group.addTask {
                    do {
                        let (head, finalized) = try await self.read(endpoint)
                        return ReplicaAnswer(endpoint: endpoint.name, head: head, finalized: finalized, error: nil)
                    } catch {
                        return ReplicaAnswer(endpoint: endpoint.name, head: nil, finalized: nil, error: error)
                    }
                }
            }
            var answers: [ReplicaAnswer] = []
            for await answer in group { answers.append(answer) }
            return answers
        }
        var heads: [(endpoint: String, head: UInt64)] = []
        var finalized: [UInt64] = []
        var lastError: (any Error)?
        for answer in answers {
            if let head = answer.head {
                heads.append((answer.endpoint, head))
                if let final = answer.finalized { finalized.append(final) }
            } else {
                lastError = answer.error
            }
        }
        guard let head = Self.agreed(heads.map { $0.head }) else {
            throw lastError ?? RPCError(.noEndpoint, "no RPC endpoint configured")
        }
        for (endpoint, reported) in heads where reported > head && reported - head > outlierMargin {
            FleetMetrics.counter(FleetMetrics.chainHeadOutliers, [("endpoint", endpoint)]).increment()
            logger?.warning("a replica reports a head far above the others; ignored", metadata: [
                "endpoint": "\(endpoint)", "reported": "\(reported)", "agreed": "\(head)",
            ])
        }
        let final = Self.agreed(finalized).map { min($0, head) }
        let target = final ?? (head >= confirmations ? head - confirmations : 0)
        return ChainTip(head: head, finalized: final, target: target)
    }

    /// The highest block that a majority of `reports` have reached: the median of an odd count,
    /// the lower middle of an even one. Nil when there are none.
    public static func agreed(_ reports: [UInt64]) -> UInt64? {
        guard !reports.isEmpty else { return nil }
        let descending = reports.sorted(by: >)
        return descending[reports.count / 2]
    }

    private func read(_ endpoint: RPCEndpoint) async throws -> (UInt64, UInt64?) {
        let headText = try await transport.send([.blockNumber], to: endpoint, as: String.self)[0]
        guard let text = headText.result, let head = UInt64(text.dropFirst(2), radix: 16) else {
            throw RPCError(.malformedResponse, endpoint: endpoint.name, method: "eth_blockNumber", "eth_blockNumber answered \(headText.error.map { "\($0)" } ?? "null")")
        }
        // A node without the tag answers an error or null: fall back to confirmations.
        let finalizedCall = RPCRequest(method: "eth_getBlockByNumber", params: "[\"finalized\",false]")
        let answer = try? await transport.send([finalizedCall], to: endpoint, as: HeaderNumber.self)[0]
        let finalized = answer?.result.flatMap { UInt64($0.number.dropFirst(2), radix: 16) }
        return (head, finalized)
    }
}
