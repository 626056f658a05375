// A wake-up signal for the claim loop: rung by NOTIFY, freed slots and shutdown.

import Synchronization

/// One waiter at a time waits for a ring, a timeout or its task's cancellation; a ring with no
/// waiter is remembered once. `ring()` is synchronous, so a signal handler can call it.
public final class Doorbell: Sendable {
    private struct State {
        var rung = false
        var waiter: CheckedContinuation<Void, Never>?
        var generation = 0
        var expired = 0
    }

    private let state = Mutex(State())

    public init() {}

    public func ring() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.rung = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns at the next ring (or at once if rung since the last wait), after `timeout`, or when
    /// the calling task is cancelled. The timer is a child task, so nothing outlives the call.
    public func wait(timeout: Duration) async {
        let generation = state.withLock { state -> Int? in
            if state.rung {
                state.rung = false
                return nil
            }
            state.generation += 1
            return state.generation
        }
        guard let generation else { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                // Ends early when the waiting task is cancelled, which ends the wait too.
                try? await Task.sleep(for: timeout)
                self.expire(generation)
            }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state -> Bool in
                    if state.rung || state.expired == generation {
                        state.rung = false
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if now { continuation.resume() }
            }
            group.cancelAll()
        }
    }

    private func expire(_ generation: Int) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard state.generation == generation else { return nil }
            state.expired = generation
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }
}
