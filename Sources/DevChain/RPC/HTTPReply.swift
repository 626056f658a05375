// HTTPReply: what the HTTP layer must do with one request — respond, or drop the connection.

/// The dispatcher is pure of NIO types so that its decisions are testable without sockets.
enum HTTPReply: Sendable, Equatable {
    /// Respond with `status` and `body`; `retryAfter` adds a Retry-After header (seconds).
    case respond(status: Int, body: [UInt8], retryAfter: Int?)
    /// Close the connection without writing anything (injected connection drop).
    case drop

    static func json(_ body: [UInt8]) -> HTTPReply { .respond(status: 200, body: body, retryAfter: nil) }

    var status: Int? {
        if case .respond(let status, _, _) = self { return status }
        return nil
    }

    var body: [UInt8] {
        if case .respond(_, let body, _) = self { return body }
        return []
    }
}
