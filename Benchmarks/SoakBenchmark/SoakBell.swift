// A worker's wake-up: rung by a notification or a finished job, waited on with a timeout.

import Synchronization

/// One waiter at a time (the worker's claim loop). A ring with nobody waiting is kept for the next
/// wait, so a notification that lands between two waits is not lost.
final class SoakBell: Sendable {
    private let state = Mutex<(rung: Bool, waiter: CheckedContinuation<Void, Never>?)>((false, nil))

    func ring() {
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

    /// Returns when rung, or after `timeout`.
    func wait(timeout: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    let now = self.state.withLock { state -> Bool in
                        if state.rung {
                            state.rung = false
                            return true
                        }
                        state.waiter = continuation
                        return false
                    }
                    if now { continuation.resume() }
                }
            }
            group.addTask {
                // Cancelled when the ring came first: then it must not ring again.
                guard (try? await Task.sleep(for: timeout)) != nil else { return }
                self.ring()
            }
            await group.next()
            group.cancelAll()
        }
        state.withLock { $0.rung = false }
    }
}
