// The worker's runner for `load` jobs.

import Foundation

/// Runs load jobs: decodes the staged-object reference from the payload, checks it was staged
/// where this worker reads, and has the warehouse replace the job's range of that table.
/// Tables are created on the first load a process runs. The last load of a range to succeed
/// enqueues the range's model job.
public actor LoadJobRunner: JobRunner {
    public let warehouse: any Warehouse
    public let stagingLocation: StagingLocation
    /// Whether the last load of a range enqueues its model job. Default true.
    public let enqueuesModels: Bool
    private var prepared = false

    public init(warehouse: any Warehouse, stagingLocation: StagingLocation, enqueuesModels: Bool = true) {
        self.warehouse = warehouse
        self.stagingLocation = stagingLocation
        self.enqueuesModels = enqueuesModels
    }

    public func run(_ job: ClaimedJob) async throws -> JobOutcome {
        let request: LoadRequest
        do {
            request = try LoadRequest.decode(job.payload)
        } catch {
            throw LoadError(.invalidRequest, "job \(job.id): the payload is not a load request: \(error)")
        }
        guard request.staging == stagingLocation.description else {
            throw LoadError(.invalidRequest, "job \(job.id) was staged at \(request.staging), but this worker reads \(stagingLocation) (BLOCKFLEET_STAGING_URL)")
        }
        guard let entity = ExportEntity(rawValue: request.file.entity) else {
            throw LoadError(.invalidRequest, "job \(job.id): unknown entity '\(request.file.entity)'")
        }
        if !prepared {
            try await warehouse.prepare()
            prepared = true
        }
        let summary = try await warehouse.load(request, into: .of(entity), first: job.firstBlock, last: job.lastBlock)
        FleetMetrics.counter(FleetMetrics.rowsLoaded, [("table", summary.table)]).increment(by: Int64(summary.rowsLoaded))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let model = enqueuesModels
            ? RangeFollowUp(after: .load, kind: .model, firstBlock: job.firstBlock, lastBlock: job.lastBlock, priority: job.priority, maxAttempts: job.maxAttempts)
            : nil
        return JobOutcome(result: String(decoding: try encoder.encode(summary), as: UTF8.self), whenRangeDone: model)
    }
}
