// `coordinator plan`: splits a block span into jobs.

import ArgumentParser
import Foundation
import Shared

struct Plan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Split a block span into jobs. Idempotent: re-planning adds only ranges not planned yet.")
    @OptionGroup var options: CommonOptions
    @Option(help: "First block.") var from: Int64
    @Option(help: "Last block (inclusive).") var to: Int64
    @Option(name: .customLong("chunk-size"), help: "Blocks per job.") var chunkSize: Int64 = 100
    @Option(help: "Comma-separated entities to export: \(ExportEntity.allCases.map(\.rawValue).joined(separator: ", ")).")
    var entities: String = ExportEntity.listText(ExportEntity.defaultSet)
    @Option(help: "Lower runs first.") var priority: Int = 100
    @Option(name: .customLong("max-attempts"), help: "Attempts before a job is dead.") var maxAttempts: Int = 5
    @Option(help: "Job kind: export, or noop/sleep to drill the fleet.") var kind: String = "export"
    @Option(help: "Kind-specific JSON payload, e.g. {\"seconds\": 2} for sleep.") var payload: String = "{}"
    @Flag(help: "Print the result as JSON.") var json = false

    func run() async throws {
        let request: PlanRequest
        do {
            let kind = try JobKind.parseList(kind, setting: "--kind")
            guard kind.count == 1 else { throw ValidationError("--kind takes one kind") }
            guard (try? JSONSerialization.jsonObject(with: Data(payload.utf8))) is [String: Any] else {
                throw ValidationError("--payload must be a JSON object, got '\(payload)'")
            }
            request = try PlanRequest(
                kind: kind[0], from: from, to: to, chunkSize: chunkSize,
                entities: try ExportEntity.parseList(entities), priority: priority, maxAttempts: maxAttempts, payload: payload
            )
        } catch let error as QueueError {
            throw ValidationError(error.message)
        } catch let error as ExportEntityError {
            throw ValidationError("--entities: \(error)")
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
        let result = try await withQueue(options) { queue, _ in try await queue.plan(request) }
        if json {
            try printJSON(result)
        } else {
            print("planned \(result.inserted) \(request.kind) jobs over blocks \(result.firstBlock)…\(result.lastBlock); \(result.alreadyPlannedBlocks) blocks were already planned")
        }
    }
}
