// The bound on one lake write: it starts only with lease left, and stops when the lease would end.

import AsyncHTTPClient
import Foundation
import Logging
import Synchronization
import Testing
@testable import Shared

@Suite("lake writes bounded by the lease")
struct LakeFenceDeadlineTests {
    struct Fixed: LeaseFence {
        let left: Duration?
        func remainingLease(_ lease: JobLease) async throws -> Duration? { left }
    }

    /// A runner that never reaches a node: only its fence is used.
    static func runner(_ left: Duration?) throws -> ExportJobRunner {
        let pool = NodePool(configuration: NodePoolConfiguration(endpoints: [try RPCEndpoint("http://127.0.0.1:9")]), http: .shared, logger: .init(label: "test"))
        var runner = ExportJobRunner(exporter: RangeExporter(fetcher: BlockFetcher(pool: pool)), store: FileStagingStore(root: "/nonexistent"),
                                     keys: StagingKeys(prefix: ""), scratchRoot: URL(fileURLWithPath: "/nonexistent"))
        runner.fence = Fixed(left: left)
        return runner
    }

    @Test("a write that would outlive the lease is stopped at the lease's end (less the safety margin) and fails the attempt")
    func stopsAtLeaseEnd() async throws {
        let runner = try Self.runner(.seconds(3))
        let started = ContinuousClock.now
        await #expect { try await runner.fenced(JobLease(id: 1, token: 1), "a slow write") { try await Task.sleep(for: .seconds(300)) } } throws: {
            ($0 as? JobError)?.code == .leaseLost
        }
        let took = ContinuousClock.now - started
        // The fence stops it about 2.5 s in; the bound leaves a loaded machine's scheduling slack
        // (a full CI run once took 21.6 s here, the 2-core cooperative pool busy with other suites)
        // while still failing a write left to run its 300 s.
        #expect(took < .seconds(60), "the write ran on past the lease: \(took)")
        #expect(took >= .milliseconds(900), "stopped before its deadline: \(took)")
    }

    @Test("no write starts without the lease, or with less of it left than the safety margin; a quick write with lease left runs")
    func startsOnlyWithLease() async throws {
        for left in [nil, Duration.seconds(1)] {
            let wrote = Mutex(false)
            await #expect { try await Self.runner(left).fenced(JobLease(id: 1, token: 1), "a write") { wrote.withLock { $0 = true } } } throws: {
                ($0 as? JobError)?.code == .leaseLost
            }
            #expect(!wrote.withLock { $0 }, "\(String(describing: left)) left, yet the write ran")
        }
        let wrote = Mutex(false)
        try await Self.runner(.seconds(60)).fenced(JobLease(id: 1, token: 1), "a write") { wrote.withLock { $0 = true } }
        #expect(wrote.withLock { $0 })
    }
}
