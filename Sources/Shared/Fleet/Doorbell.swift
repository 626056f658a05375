// A wake-up signal for the claim loop: rung by NOTIFY, freed slots and shutdown.

/// One waiter at a time waits for a ring or a timeout; a ring with no waiter is remembered once.
actor Doorbell {
    private var rung = false
    private var waiter: CheckedContinuation<Void, Never>?
    private var generation = 0

    func ring() {
        if let waiter {
            self.waiter = nil
            waiter.resume()
        } else {
            rung = true
        }
    }

    /// Returns at the next ring (or at once if rung since the last wait), or after `timeout`.
    func wait(timeout: Duration) async {
        if rung {
            rung = false
            return
        }
        generation += 1
        let mine = generation
        await withCheckedContinuation { continuation in
            waiter = continuation
            Task { [weak self] in
                try? await Task.sleep(for: timeout)
                await self?.expire(mine)
            }
        }
    }

    private func expire(_ generationThatTimedOut: Int) {
        guard generationThatTimedOut == generation, let waiter else { return }
        self.waiter = nil
        waiter.resume()
    }
}
