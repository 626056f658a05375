// BlockCache: a bounded, thread-safe cache of rendered synthetic blocks.

import NIOConcurrencyHelpers

/// Rendering a 100-transaction block takes about a millisecond; exporters ask for the same
/// block several times (block, receipts, logs) in quick succession, so recent blocks are
/// kept. First-in-first-out eviction bounds memory at `capacity` blocks.
final class BlockCache: Sendable {
    private struct State {
        var blocks: [UInt64: SyntheticBlock] = [:]
        var order: [UInt64] = []
        var next = 0
    }

    let capacity: Int
    private let state = NIOLockedValueBox(State())
    /// Exporters ask for a block and its receipts at the same moment on two connections;
    /// a per-block stripe lock makes the second wait for the first render instead of
    /// rendering the same block again.
    private let renderLocks: [NIOLock] = (0..<64).map { _ in NIOLock() }

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// The cached block n, or the block `make` renders (outside the cache lock) and caches.
    func block(_ n: UInt64, make: () -> SyntheticBlock) -> SyntheticBlock {
        if let hit = state.withLockedValue({ $0.blocks[n] }) { return hit }
        return renderLocks[Int(n % 64)].withLock {
            if let hit = state.withLockedValue({ $0.blocks[n] }) { return hit }
            return insert(n, make())
        }
    }

    private func insert(_ n: UInt64, _ block: SyntheticBlock) -> SyntheticBlock {
        state.withLockedValue { s in
            guard s.blocks[n] == nil else { return }
            if s.order.count < capacity {
                s.order.append(n)
            } else {
                s.blocks[s.order[s.next]] = nil
                s.order[s.next] = n
                s.next = (s.next + 1) % capacity
            }
            s.blocks[n] = block
        }
        return block
    }

    var count: Int { state.withLockedValue { $0.blocks.count } }
}
