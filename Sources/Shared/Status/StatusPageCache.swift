// The status page's rendering, kept for a short time so that many viewers cost one round of queries.

/// Renders the page at most once per `ttl`, and never twice at once: a hit within `ttl` of the
/// last render gets that page; hits during a render wait for it. Loading the page runs about a
/// dozen queries (some scan the jobs table), so an open browser tab per operator, each
/// refreshing every few seconds, must not multiply them.
public actor StatusPageCache {
    /// How long a rendered page is served. Default 2 s: under the page's own 5 s refresh.
    public let ttl: Duration
    let render: @Sendable () async throws -> String
    /// The clock the TTL is read on; tests pass one they move by hand.
    let now: @Sendable () -> ContinuousClock.Instant
    private var cached: (page: String, at: ContinuousClock.Instant)?
    private var rendering: Task<String, any Error>?

    public init(ttl: Duration = .seconds(2), now: @escaping @Sendable () -> ContinuousClock.Instant = { .now },
                render: @escaping @Sendable () async throws -> String) {
        self.ttl = ttl
        self.now = now
        self.render = render
    }

    public func page() async throws -> String {
        if let cached, now() - cached.at < ttl { return cached.page }
        if let rendering { return try await rendering.value }
        let task = Task { [render] in try await render() }
        rendering = task
        defer { rendering = nil }
        let page = try await task.value
        cached = (page, now())
        return page
    }
}
