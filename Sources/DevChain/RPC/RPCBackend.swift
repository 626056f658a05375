// RPCBackend: the interface the dispatcher uses to answer one call (replay or synthetic).

/// Both chains answer calls synchronously from memory, so serving stays on the event loop.
protocol RPCBackend: Sendable {
    func handle(method: String, params: [JSONValue]) -> RPCOutcome
}
