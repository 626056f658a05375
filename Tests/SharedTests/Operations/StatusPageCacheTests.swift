// The status page cache: one render per TTL, however many viewers ask at once.

import Shared
import Synchronization
import Testing

@Suite("Status page cache")
struct StatusPageCacheTests {
    @Test("twenty concurrent hits cost one render; within the TTL the same page is served; after it, a new one")
    func oneRenderPerTTL() async throws {
        let renders = Atomic<Int>(0)
        // A clock moved by hand, so a slow machine cannot outlast the TTL between two hits.
        let clock = Mutex(ContinuousClock.now)
        let cache = StatusPageCache(ttl: .seconds(2), now: { clock.withLock { $0 } }) {
            let number = renders.add(1, ordering: .relaxed).newValue
            try await Task.sleep(for: .milliseconds(50))
            return "page \(number)"
        }
        let pages = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<20 { group.addTask { try await cache.page() } }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(Set(pages) == ["page 1"])
        #expect(renders.load(ordering: .relaxed) == 1)
        clock.withLock { $0 += .milliseconds(1999) }
        #expect(try await cache.page() == "page 1")
        clock.withLock { $0 += .milliseconds(2) }
        #expect(try await cache.page() == "page 2")
        #expect(renders.load(ordering: .relaxed) == 2)
    }

    @Test("a failed render is not cached: the next hit renders again")
    func failureIsNotCached() async throws {
        struct Unavailable: Error {}
        let renders = Atomic<Int>(0)
        let cache = StatusPageCache(ttl: .seconds(60)) {
            guard renders.add(1, ordering: .relaxed).newValue > 1 else { throw Unavailable() }
            return "page"
        }
        await #expect(throws: Unavailable.self) { try await cache.page() }
        #expect(try await cache.page() == "page")
    }
}
