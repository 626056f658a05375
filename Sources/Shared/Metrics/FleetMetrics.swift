// Every metric family BlockFleet exports, declared once with its help text, and the process registry.

import Metrics
import Prometheus

/// One exported metric family: what dashboards and alerts may name.
public struct MetricFamilyDefinition: Sendable, Hashable {
    public enum Kind: String, Sendable { case counter, gauge, histogram }
    public let name: String
    public let kind: Kind
    public let help: String
    public let labels: [String]

    var descriptor: MetricNameDescriptor { MetricNameDescriptor(metricName: name, unitName: "", helpText: help) }
}

/// The process-wide Prometheus registry and typed accessors for each family.
///
/// Families are declared here (name, type, help, labels) so the `/metrics` text always carries
/// `# HELP` lines (`promtool check metrics` requires them) and the dashboard test can check every
/// query against this list. swift-metrics is bootstrapped onto the same registry, so metrics from
/// libraries that use swift-metrics land on `/metrics` too.
public enum FleetMetrics {
    public static let registry = PrometheusCollectorRegistry()

    /// Bootstraps swift-metrics with this registry (once per process) and registers the families
    /// without labels, so they appear (at zero) before anything happens.
    public static func bootstrap() {
        _ = bootstrapOnce
    }

    private static let bootstrapOnce: Void = {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        for family in families where family.labels.isEmpty {
            switch family.kind {
            case .counter: _ = registry.makeCounter(descriptor: family.descriptor)
            case .gauge: _ = registry.makeGauge(descriptor: family.descriptor)
            case .histogram: break
            }
        }
    }()

    /// The Prometheus text exposition of everything registered.
    public static func exposition() -> String { registry.emitToString() }

    // MARK: Families

    public static let queueJobs = MetricFamilyDefinition(name: "blockfleet_queue_jobs", kind: .gauge, help: "Jobs in the queue by kind and state.", labels: ["kind", "state"])
    public static let queueOldestReadyAge = MetricFamilyDefinition(name: "blockfleet_queue_oldest_ready_age_seconds", kind: .gauge, help: "How long the oldest ready (pending or retrying) job of a kind has waited past its run_after.", labels: ["kind"])
    public static let kindPaused = MetricFamilyDefinition(name: "blockfleet_kind_paused", kind: .gauge, help: "1 when claiming of a job kind is paused.", labels: ["kind"])
    public static let workers = MetricFamilyDefinition(name: "blockfleet_workers", kind: .gauge, help: "Registered workers by state (live, stale, stopped).", labels: ["state"])
    public static let chainHead = MetricFamilyDefinition(name: "blockfleet_chain_head_block", kind: .gauge, help: "Highest block reported by the nodes (latest).", labels: [])
    public static let chainFinalized = MetricFamilyDefinition(name: "blockfleet_chain_finalized_block", kind: .gauge, help: "The block follow mode plans up to: finalized, or head minus confirmations.", labels: [])
    public static let plannedLastBlock = MetricFamilyDefinition(name: "blockfleet_export_planned_last_block", kind: .gauge, help: "Highest block covered by an export job.", labels: [])
    public static let exportedLastBlock = MetricFamilyDefinition(name: "blockfleet_export_last_exported_block", kind: .gauge, help: "Highest block below which every planned export succeeded (contiguous from the start of the planned span).", labels: [])
    public static let exportedBlocks = MetricFamilyDefinition(name: "blockfleet_export_exported_blocks", kind: .gauge, help: "Blocks of the planned span whose export succeeded.", labels: [])
    public static let plannedBlocks = MetricFamilyDefinition(name: "blockfleet_export_planned_blocks", kind: .gauge, help: "Blocks in the planned export span (cancelled jobs excluded).", labels: [])
    public static let exportLag = MetricFamilyDefinition(name: "blockfleet_export_lag_blocks", kind: .gauge, help: "Chain head minus the last exported block.", labels: [])
    public static let leader = MetricFamilyDefinition(name: "blockfleet_coordinator_leader", kind: .gauge, help: "1 when this coordinator replica holds the leadership lock.", labels: [])
    public static let reapedLeases = MetricFamilyDefinition(name: "blockfleet_reaped_leases_total", kind: .counter, help: "Expired leases returned to the queue (or to dead) by the reaper.", labels: [])
    public static let plannedJobs = MetricFamilyDefinition(name: "blockfleet_follow_planned_jobs_total", kind: .counter, help: "Export jobs planned by follow mode.", labels: [])
    public static let reorgMismatches = MetricFamilyDefinition(name: "blockfleet_reorg_mismatches_total", kind: .counter, help: "Adjacent exported ranges whose parent hash did not match; both were flagged for re-export.", labels: [])
    public static let chainHeadOutliers = MetricFamilyDefinition(name: "blockfleet_chain_head_outliers_total", kind: .counter, help: "Chain-head readings of a replica far above the head the replicas agree on; ignored for planning.", labels: ["endpoint"])
    public static let reorgEvents = MetricFamilyDefinition(name: "blockfleet_reorg_events", kind: .gauge, help: "Parent-hash mismatches recorded in the reorgs table.", labels: [])

    public static let jobsFinished = MetricFamilyDefinition(name: "blockfleet_jobs_finished_total", kind: .counter, help: "Jobs a worker finished, by kind and outcome (succeeded, deferred, failed, lease_lost, released).", labels: ["kind", "outcome"])
    public static let jobDuration = MetricFamilyDefinition(name: "blockfleet_job_duration_seconds", kind: .histogram, help: "Time from claim to the end of a job's attempt, by kind and outcome.", labels: ["kind", "outcome"])
    public static let jobsRunning = MetricFamilyDefinition(name: "blockfleet_jobs_running", kind: .gauge, help: "Jobs this worker holds now.", labels: [])
    public static let blocksExported = MetricFamilyDefinition(name: "blockfleet_blocks_exported_total", kind: .counter, help: "Blocks in export jobs this worker completed.", labels: [])
    public static let leaseLosses = MetricFamilyDefinition(name: "blockfleet_lease_losses_total", kind: .counter, help: "Held jobs whose lease was lost (reaped, cancelled or taken over).", labels: [])
    public static let retries = MetricFamilyDefinition(name: "blockfleet_job_retries_total", kind: .counter, help: "Failed attempts that will be retried after a backoff, by kind.", labels: ["kind"])
    public static let deadLettered = MetricFamilyDefinition(name: "blockfleet_jobs_dead_total", kind: .counter, help: "Jobs this worker moved to dead, by kind.", labels: ["kind"])
    public static let exportWindows = MetricFamilyDefinition(name: "blockfleet_export_windows_total", kind: .counter, help: "Fetch windows of export jobs by the path that wrote them: transcoded (CSV straight from the response bytes) or decoded.", labels: ["path"])
    public static let bytesStaged = MetricFamilyDefinition(name: "blockfleet_staged_bytes_total", kind: .counter, help: "Bytes of gzip files staged, by entity.", labels: ["entity"])
    public static let bytesLake = MetricFamilyDefinition(name: "blockfleet_lake_bytes_total", kind: .counter, help: "Bytes of Parquet files written to the lake, by entity.", labels: ["entity"])
    public static let rowsLoaded = MetricFamilyDefinition(name: "blockfleet_loaded_rows_total", kind: .counter, help: "Rows loaded into the warehouse, by table.", labels: ["table"])
    public static let modelRuns = MetricFamilyDefinition(name: "blockfleet_model_runs_total", kind: .counter, help: "Warehouse models per range: applied, up_to_date (already applied with the same SQL) or skipped (entities not loaded).", labels: ["model", "outcome"])
    public static let verifyFailures = MetricFamilyDefinition(name: "blockfleet_verify_failures_total", kind: .counter, help: "Loaded ranges that failed a verify check, by check; their models did not run.", labels: ["check"])
    public static let decodedRows = MetricFamilyDefinition(name: "blockfleet_decoded_rows_total", kind: .counter, help: "Rows written to decoded tables (BLOCKFLEET_PARSE_DIR), by dataset.table.", labels: ["table"])
    public static let decodeWaits = MetricFamilyDefinition(name: "blockfleet_decode_waits_total", kind: .counter, help: "Ranges on which a decoded table waited for a ref() dependency's high-water mark (the model job deferred), by dataset.table.", labels: ["table"])
    public static let decodeSkipped = MetricFamilyDefinition(name: "blockfleet_decode_skipped_total", kind: .counter, help: "Logs or calls matching a decoded table's topic 0 or selector and contracts that did not fit its ABI or columns, skipped, by dataset.table.", labels: ["table"])
    public static let rpcDuration = MetricFamilyDefinition(name: "blockfleet_rpc_request_duration_seconds", kind: .histogram, help: "JSON-RPC HTTP round trips by endpoint (scheme and host) and first method of the batch.", labels: ["endpoint", "method"])
    public static let rpcErrors = MetricFamilyDefinition(name: "blockfleet_rpc_errors_total", kind: .counter, help: "Failed JSON-RPC HTTP round trips by endpoint, method and error code.", labels: ["endpoint", "method", "code"])
    public static let workerReady = MetricFamilyDefinition(name: "blockfleet_worker_ready", kind: .gauge, help: "1 when this worker is registered and claiming.", labels: [])

    /// Every family, for the dashboard test and the README.
    public static let families: [MetricFamilyDefinition] = [
        queueJobs, queueOldestReadyAge, kindPaused, workers, chainHead, chainFinalized, plannedLastBlock, exportedLastBlock,
        exportedBlocks, plannedBlocks, exportLag, leader, reapedLeases, plannedJobs, reorgMismatches, reorgEvents, chainHeadOutliers,
        jobsFinished, jobDuration, jobsRunning, blocksExported, leaseLosses, retries, deadLettered, exportWindows, bytesStaged, bytesLake, rowsLoaded,
        modelRuns, verifyFailures, decodedRows, decodeSkipped, decodeWaits, rpcDuration, rpcErrors, workerReady,
    ]

    /// Names a PromQL query may use: family names, and for histograms their `_bucket`, `_sum` and `_count` series.
    public static var seriesNames: Set<String> {
        Set(families.flatMap { family in
            family.kind == .histogram ? [family.name + "_bucket", family.name + "_sum", family.name + "_count"] : [family.name]
        })
    }

    // MARK: Handles

    public static func counter(_ family: MetricFamilyDefinition, _ labels: [(String, String)] = []) -> Prometheus.Counter {
        precondition(family.kind == .counter && family.labels == labels.map(\.0), "\(family.name) is declared with labels \(family.labels)")
        return registry.makeCounter(descriptor: family.descriptor, labels: labels)
    }

    public static func gauge(_ family: MetricFamilyDefinition, _ labels: [(String, String)] = []) -> Prometheus.Gauge {
        precondition(family.kind == .gauge && family.labels == labels.map(\.0), "\(family.name) is declared with labels \(family.labels)")
        return registry.makeGauge(descriptor: family.descriptor, labels: labels)
    }

    public static func histogram(_ family: MetricFamilyDefinition, _ labels: [(String, String)], buckets: [Duration]) -> DurationHistogram {
        precondition(family.kind == .histogram && family.labels == labels.map(\.0), "\(family.name) is declared with labels \(family.labels)")
        return registry.makeDurationHistogram(descriptor: family.descriptor, labels: labels, buckets: buckets)
    }

    /// Job attempts take from milliseconds (drills) to many minutes (large ranges).
    public static let jobBuckets: [Duration] = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800].map { .milliseconds(Int64($0 * 1000)) }
    /// A JSON-RPC batch: a millisecond on a local node to tens of seconds for a large batch.
    public static let rpcBuckets: [Duration] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30].map { .microseconds(Int64($0 * 1_000_000)) }
}
