// The executor that keeps lease-keeping tasks off the cooperative pool.

import Foundation
import Testing
@testable import Shared

@Suite("dedicated thread executor")
struct DedicatedThreadExecutorTests {
    static let executor = DedicatedThreadExecutor(name: "executor-tests")

    static func onItsThread() -> Bool { executor.isCurrentThread }

    @Test("tasks that prefer it run on its thread, across suspensions, and child tasks inherit the preference")
    func runsOnItsThread() async throws {
        #expect(!Self.onItsThread())
        let seen = await withTaskGroup(of: [Bool].self) { group in
            group.addTask(executorPreference: Self.executor) {
                var seen = [Self.onItsThread()]
                try? await Task.sleep(for: .milliseconds(5))
                seen.append(Self.onItsThread())
                seen.append(await withTaskGroup(of: Bool.self) { children in
                    children.addTask { Self.onItsThread() }
                    return await children.next() ?? false
                })
                return seen
            }
            return await group.next() ?? []
        }
        #expect(seen == [true, true, true])
    }

    @Test("its timers keep time while every thread of the cooperative pool is busy (Task.sleep's do not on Linux), and a cancelled sleep throws at once")
    func keepsTimeWhilePoolIsBusy() async throws {
        // Occupy every cooperative thread for a second with work that never suspends.
        let threads = ProcessInfo.processInfo.activeProcessorCount
        let started = ContinuousClock.now
        let timer = Task(executorPreference: Self.executor) {
            try? await Self.executor.sleep(until: started + .milliseconds(100))
            return ContinuousClock.now - started
        }
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<threads {
                group.addTask {
                    let until = ContinuousClock.now + .seconds(1)
                    while ContinuousClock.now < until {}
                }
            }
        }
        // The timer woke on its own thread while the pool spun (0.1 s, not after the 1 s of spin).
        let woke = await timer.value
        #expect(woke < .milliseconds(700), "woke \(woke) after sleeping 100 ms")

        let sleeper = Task(executorPreference: Self.executor) { () async -> Bool in
            do {
                try await Self.executor.sleep(until: .now + .seconds(60))
                return false
            } catch {
                return error is CancellationError
            }
        }
        sleeper.cancel()
        #expect(await sleeper.value, "the cancelled sleep threw CancellationError")
    }
}
