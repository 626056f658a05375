// The follow-mode flags `serve --follow` and `follow` share, as an overlay on the environment.

import ArgumentParser
import Shared

struct FollowOptions: ParsableArguments {
    @Option(name: .customLong("rpc-url"), help: "JSON-RPC node for follow mode, repeatable (env BLOCKFLEET_RPC_URLS).") var rpcURLs: [String] = []
    @Option(name: .customLong("follow-from"), help: "First block to plan when nothing is planned (env BLOCKFLEET_FOLLOW_FROM; default 0).") var followFrom: Int64?
    @Option(help: "Blocks behind the head when the node has no finalized tag (env BLOCKFLEET_CONFIRMATIONS; default 64).") var confirmations: UInt64?
    @Option(name: .customLong("chunk-size"), help: "Blocks per job follow mode plans (env BLOCKFLEET_CHUNK_SIZE; default 100).") var chunkSize: Int64?
    @Option(help: "Entities follow mode plans (env BLOCKFLEET_ENTITIES).") var entities: String?

    /// The flags as an overlay on the environment: each stands for its variable, parsed and checked
    /// by `FollowConfiguration` and `NodePoolConfiguration` like the variable itself.
    var overlay: [String: (flag: String, value: String?)] {
        [
            "BLOCKFLEET_RPC_URLS": ("--rpc-url", rpcURLs.isEmpty ? nil : rpcURLs.joined(separator: ",")),
            "BLOCKFLEET_FOLLOW_FROM": ("--follow-from", followFrom.map(String.init)),
            "BLOCKFLEET_CONFIRMATIONS": ("--confirmations", confirmations.map(String.init)),
            "BLOCKFLEET_CHUNK_SIZE": ("--chunk-size", chunkSize.map(String.init)),
            "BLOCKFLEET_ENTITIES": ("--entities", entities),
        ]
    }
}
