// Flags as an overlay on the environment, and the settings hardening added: parsed and checked in one place.

import Foundation
@testable import Shared
import Testing

@Suite("Flags over the environment")
struct EnvironmentOverlayTests {
    @Test("a flag given wins over its variable and a bad one is reported under the flag; a flag not given leaves the variable")
    func overlay() throws {
        let base = Environment(["BLOCKFLEET_LEASE_SECONDS": "90", "BLOCKFLEET_POLL_SECONDS": "2"])
        let flags = base.overlaid(["BLOCKFLEET_LEASE_SECONDS": ("--lease-seconds", "30"), "BLOCKFLEET_POLL_SECONDS": ("--poll-seconds", nil)])
        let worker = try WorkerConfiguration(environment: flags)
        #expect(worker.lease == .seconds(30))
        #expect(worker.heartbeatInterval == .seconds(10), "heartbeat = lease / 3, derived once")
        #expect(worker.pollInterval == .seconds(2))

        let bad = base.overlaid(["BLOCKFLEET_WORKER_CONCURRENCY": ("--concurrency", "0")])
        #expect(throws: ConfigurationError.self) { try WorkerConfiguration(environment: bad) }
        do {
            _ = try WorkerConfiguration(environment: bad)
        } catch {
            #expect(error.setting == "--concurrency")
            #expect(error.description.contains("outside 1...1024"), "\(error)")
        }
        let badVariable = Environment(["BLOCKFLEET_WORKER_CONCURRENCY": "0"])
        do {
            _ = try WorkerConfiguration(environment: badVariable)
            Issue.record("concurrency 0 was accepted")
        } catch {
            #expect(error.setting == "BLOCKFLEET_WORKER_CONCURRENCY")
        }
    }

    @Test("an explicit heartbeat, from a variable, survives a lease given by flag")
    func heartbeatFromEnvironment() throws {
        let environment = Environment(["BLOCKFLEET_HEARTBEAT_SECONDS": "4"]).overlaid(["BLOCKFLEET_LEASE_SECONDS": ("--lease-seconds", "30")])
        let worker = try WorkerConfiguration(environment: environment)
        #expect(worker.heartbeatInterval == .seconds(4))
    }

    @Test("the scratch folder and gzip level have a configuration struct with defaults; a bad level is named")
    func exportJobSettings() throws {
        let defaults = try ExportJobConfiguration(environment: Environment([:]))
        #expect(defaults.gzipLevel == 1)
        #expect(defaults.scratchDirectory == ExportJobConfiguration.defaultScratchDirectory)
        let set = try ExportJobConfiguration(environment: Environment(["BLOCKFLEET_SCRATCH_DIR": "/data/scratch", "BLOCKFLEET_STAGING_GZIP_LEVEL": "6"]))
        #expect(set.scratchDirectory.path == "/data/scratch" && set.gzipLevel == 6)
        #expect(throws: ConfigurationError.self) { try ExportJobConfiguration(environment: Environment(["BLOCKFLEET_STAGING_GZIP_LEVEL": "12"])) }
    }

    @Test("the agreed head is the highest block a majority reached; one or two absurd answers are outvoted")
    func agreedHead() {
        #expect(ChainHeadReader.agreed([]) == nil)
        #expect(ChainHeadReader.agreed([7]) == 7)
        #expect(ChainHeadReader.agreed([.max, 7]) == 7)
        #expect(ChainHeadReader.agreed([.max, 47219, 47218]) == 47219)
        #expect(ChainHeadReader.agreed([.max, 1 << 40, 47219, 47219]) == 47219)
        #expect(ChainHeadReader.agreed([.max, 1 << 40, 47219, 47219, 47218]) == 47219)
    }

    @Test("one follow step plans at most its cap, saturating instead of overflowing; the setting is read and checked")
    func followCap() throws {
        let configuration = FollowConfiguration(chunkSize: 100, maxJobsPerStep: 1000)
        #expect(configuration.lastBlockOfStep(from: 0) == 99_999)
        #expect(configuration.lastBlockOfStep(from: .max - 10) == .max)
        #expect(FollowConfiguration(chunkSize: 10_000_000, maxJobsPerStep: .max).lastBlockOfStep(from: 5) == .max)
        #expect(try FollowConfiguration(environment: Environment(["BLOCKFLEET_FOLLOW_MAX_JOBS": "50"])).maxJobsPerStep == 50)
        #expect(throws: ConfigurationError.self) { try FollowConfiguration(environment: Environment(["BLOCKFLEET_FOLLOW_MAX_JOBS": "0"])) }
    }

    @Test("the chain tip's lag never traps, whatever head a node reported")
    func lagSaturates() {
        #expect(ChainTip(head: .max, finalized: nil, target: .max).lag(after: -1) == .max)
        #expect(ChainTip(head: 100, finalized: nil, target: 36).lag(after: 40) == 60)
        #expect(ChainTip(head: 100, finalized: nil, target: 36).lag(after: 400) == 0)
    }

    @Test("the liveness bound has a default, a variable, and is never below three reap or election periods")
    func livenessBound() throws {
        #expect(CoordinatorConfiguration().effectiveLivenessBound == .seconds(120))
        #expect(try CoordinatorConfiguration(environment: Environment(["BLOCKFLEET_LIVENESS_SECONDS": "30"])).livenessBound == .seconds(30))
        #expect(CoordinatorConfiguration(reapInterval: .seconds(100), livenessBound: .seconds(30)).effectiveLivenessBound == .seconds(300))
    }
}
