// The follow-mode flags `serve --follow` and `follow` share, parsed and applied in one place.

import ArgumentParser
import Shared

struct FollowOptions: ParsableArguments {
    @Option(name: .customLong("rpc-url"), help: "JSON-RPC node for follow mode, repeatable (env BLOCKFLEET_RPC_URLS).") var rpcURLs: [String] = []
    @Option(name: .customLong("follow-from"), help: "First block to plan when nothing is planned (env BLOCKFLEET_FOLLOW_FROM; default 0).") var followFrom: Int64?
    @Option(help: "Blocks behind the head when the node has no finalized tag (env BLOCKFLEET_CONFIRMATIONS; default 64).") var confirmations: UInt64?
    @Option(name: .customLong("chunk-size"), help: "Blocks per job follow mode plans (env BLOCKFLEET_CHUNK_SIZE; default 100).") var chunkSize: Int64?
    @Option(help: "Entities follow mode plans (env BLOCKFLEET_ENTITIES).") var entities: String?

    /// Flags override the environment's settings; a bad value stops with the flag named.
    func apply(to follow: inout FollowConfiguration, nodes: inout NodePoolConfiguration) throws {
        if let followFrom {
            guard followFrom >= 0 else { throw ValidationError("--follow-from must be ≥ 0") }
            follow.fromBlock = followFrom
        }
        if let confirmations { follow.confirmations = confirmations }
        if let chunkSize {
            guard chunkSize > 0 else { throw ValidationError("--chunk-size must be greater than 0") }
            follow.chunkSize = chunkSize
        }
        if let entities {
            do { follow.entities = try ExportEntity.parseList(entities) } catch { throw ValidationError("--entities: \(error)") }
        }
        if !rpcURLs.isEmpty { nodes.endpoints = try rpcURLs.map { try RPCEndpoint($0, setting: "--rpc-url") } }
    }
}
