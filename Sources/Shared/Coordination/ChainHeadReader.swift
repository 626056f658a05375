// How far the chain is safe to plan: the nodes' finalized block, or head − confirmations.

import Foundation

/// The chain as the nodes report it.
public struct ChainTip: Sendable, Equatable, Codable {
    /// Highest `latest` block among the nodes that answered.
    public let head: UInt64
    /// Highest `finalized` block among them; nil when no node has the tag (pre-merge, some L2s).
    public let finalized: UInt64?
    /// The last block follow mode may plan: `finalized`, else head − confirmations.
    public let target: UInt64
}

/// Asks every node for `eth_blockNumber` and `eth_getBlockByNumber("finalized", false)`.
/// Any node answering is enough; the highest answers win (a lagging replica must not hold back
/// planning: the node pool routes each block to a replica that has it).
public struct ChainHeadReader: Sendable {
    public let transport: JSONRPCTransport
    public let endpoints: [RPCEndpoint]
    /// Blocks kept behind the head when no node reports a finalized block.
    public let confirmations: UInt64

    public init(transport: JSONRPCTransport, endpoints: [RPCEndpoint], confirmations: UInt64) {
        self.transport = transport
        self.endpoints = endpoints
        self.confirmations = confirmations
    }

    struct HeaderNumber: Decodable, Sendable { let number: String }

    public func read() async throws -> ChainTip {
        var heads: [UInt64] = []
        var finalized: [UInt64] = []
        var lastError: (any Error)?
        await withTaskGroup(of: Result<(UInt64, UInt64?), any Error>.self) { group in
            for endpoint in endpoints {
                group.addTask {
                    do {
                        return .success(try await self.read(endpoint))
                    } catch {
                        return .failure(error)
                    }
                }
            }
            for await result in group {
                switch result {
                case .success(let (head, final)):
                    heads.append(head)
                    if let final { finalized.append(final) }
                case .failure(let error):
                    lastError = error
                }
            }
        }
        guard let head = heads.max() else {
            throw lastError ?? RPCError(.noEndpoint, "no RPC endpoint configured")
        }
        let final = finalized.max()
        let target = final.map { min($0, head) } ?? (head >= confirmations ? head - confirmations : 0)
        return ChainTip(head: head, finalized: final, target: target)
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
