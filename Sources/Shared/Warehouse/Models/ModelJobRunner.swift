// The worker's runner for `model` jobs: verify, enrich and user models over one loaded range.

import Foundation
import Logging
import PostgresNIO
import Synchronization

/// Runs model jobs in one warehouse transaction per range: the verify checks first (a failure
/// stops everything, permanently, naming the check and the range), then every model whose
/// entities were loaded, in dependency order, skipping those already applied with the same SQL.
/// A re-run with nothing loaded since changes no row; a load of the range forgets its runs.
/// On Postgres a run holds the range's lock exclusively, so no load of the range interleaves,
/// and each model's lock unless the model is `concurrent`, so runs of a model whose rows are
/// shared by ranges (a day's totals) go one at a time while the rest of the jobs overlap.
public actor ModelJobRunner: JobRunner {
    public let client: PostgresClient
    public let dialect: WarehouseConfiguration.Dialect
    public let schema: String
    public let catalog: ModelCatalog
    /// The decoded tables (`BLOCKFLEET_PARSE_DIR`), decoded after the checks, before the models
    /// (see `DecodeStage` for why here).
    public let decoding: DecodeStage?
    /// On Redshift, where the decode stage stages its rows for COPY (required there with
    /// `decoding`; unused on Postgres).
    public let redshiftDecoding: RedshiftDecodeTarget?
    /// The queue, for model jobs a decode run asks for on later ranges (a dependency changed under
    /// them): enqueued before the warehouse commits, so a crash between the two leaves extra jobs
    /// (harmless: they re-decode) rather than none. Without it they go in the job's completion.
    public let queue: JobQueue?
    let logger: Logger
    private var prepared = false
    /// Built-in models whose tables and indexes this runner has seen exist or made
    /// (`createMissingRelations`): later jobs skip the check. One dropped since is made again
    /// by the range's run, under the model's lock, as any missing relation is.
    private let relationsExist = Mutex<Set<String>>([])

    public init(client: PostgresClient, dialect: WarehouseConfiguration.Dialect, schema: String, catalog: ModelCatalog, decoding: DecodeStage? = nil,
                redshiftDecoding: RedshiftDecodeTarget? = nil, queue: JobQueue? = nil, logger: Logger) {
        self.client = client
        self.dialect = dialect
        self.schema = schema
        self.catalog = catalog
        self.decoding = decoding
        self.redshiftDecoding = redshiftDecoding
        self.queue = queue
        self.logger = logger
    }

    public func run(_ job: ClaimedJob) async throws -> JobOutcome {
        let request = try ModelRequest.decode(job.payload)
        var loaded = Set<ExportEntity>()
        for name in request.entities {
            guard let entity = ExportEntity(rawValue: name) else {
                throw ModelError(.invalidRequest, "job \(job.id): unknown entity '\(name)'")
            }
            loaded.insert(entity)
        }
        let forced = catalog.withDependents(Set(request.force ?? []))
        if !prepared {
            try await prepare()
            prepared = true
        }
        let summary: ModelRunSummary
        do {
            summary = try await run(first: job.firstBlock, last: job.lastBlock, loaded: loaded, forced: forced, origin: request.origin,
                                    attempt: StagingKeys.Attempt(job: job.id, leaseToken: job.leaseToken).name)
        } catch let error as ModelError where error.code == .verifyFailed {
            FleetMetrics.counter(FleetMetrics.verifyFailures, [("check", error.check ?? "unknown")]).increment()
            throw error
        }
        for (names, outcome) in [(summary.applied, "applied"), (summary.upToDate, "up_to_date"), (Array(summary.skipped.keys), "skipped")] {
            for name in names { FleetMetrics.counter(FleetMetrics.modelRuns, [("model", name), ("outcome", outcome)]).increment() }
        }
        for (table, counts) in summary.decoded?.tables ?? [:] {
            FleetMetrics.counter(FleetMetrics.decodedRows, [("table", table)]).increment(by: Int64(counts.decoded))
            FleetMetrics.counter(FleetMetrics.decodeSkipped, [("table", table)]).increment(by: Int64(counts.skipped))
        }
        for table in (summary.decoded?.waiting ?? [:]).keys {
            FleetMetrics.counter(FleetMetrics.decodeWaits, [("table", table)]).increment()
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var outcome = JobOutcome(result: String(decoding: try encoder.encode(summary), as: UTF8.self))
        // Tables waiting on a dependency's high-water mark: the rest is committed; the job comes
        // again (not counted as an attempt) and decodes them once the mark has caught up.
        if let decoded = summary.decoded, !decoded.waiting.isEmpty, let decoding {
            let reason = decoded.waiting.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; ")
            outcome.deferral = JobDeferral(seconds: decoding.waitSeconds, reason: "waiting: \(reason)")
        }
        if let counts = summary.decoded?.counts, !counts.isEmpty {
            outcome.decodedCounts = DecodedRangeCounts(firstBlock: job.firstBlock, lastBlock: job.lastBlock,
                                                       tables: counts.mapValues { (Int64($0.decoded), Int64($0.skipped)) })
        }
        if let invalidated = summary.decoded?.invalidated, queue == nil {
            outcome.modelBackfill = ModelBackfill(force: invalidated.tables, fromBlock: invalidated.fromBlock)
        }
        return outcome
    }

    /// Creates the schema and the runs table if missing.
    public nonisolated func prepare() async throws {
        try await client.inTransaction(logger: logger) { connection in
            if dialect == .postgres {
                try await connection.checkedQuery(PostgresWarehouseSQL.lock(PostgresWarehouse.lockKey("schema:\(schema)")), logger: logger)
            }
            // CREATE SCHEMA IF NOT EXISTS needs CREATE on the database even when the schema is
            // there, which the model role (blockfleet_model) does not have: only when missing.
            var exists = false
            for try await found in try await connection.checkedQuery("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = \(schema))", logger: logger).decode(Bool.self) {
                exists = found
            }
            if !exists {
                try await connection.checkedQuery(PostgresQuery(unsafeSQL: PostgresWarehouseSQL.createSchema(schema)), logger: logger)
            }
            try await connection.checkedQuery(PostgresQuery(unsafeSQL: ModelSQL.createRuns(dialect, schema: schema)), logger: logger)
            if let decoding {
                switch dialect {
                case .postgres:
                    try await decoding.prepare(on: connection, schema: schema, logger: logger)
                case .redshift:
                    _ = try decodeWarehouse()
                    try await decoding.prepareRedshift(on: connection, schema: schema, logger: logger)
                }
            }
        }
    }

    /// Where the decode stage writes: Postgres, or Redshift through the staging store.
    nonisolated func decodeWarehouse() throws -> DecodeWarehouse {
        switch dialect {
        case .postgres:
            return .postgres
        case .redshift:
            guard let redshiftDecoding else {
                throw ModelError(.invalidModel, "decoded tables on Redshift are staged to S3 for COPY: the model runner needs the staging store and BLOCKFLEET_REDSHIFT_IAM_ROLE")
            }
            return .redshift(redshiftDecoding)
        }
    }

    /// Verifies the range and applies the models, all or nothing. `attempt` names the job's
    /// attempt in the keys of rows staged for Redshift.
    public nonisolated func run(first: Int64, last: Int64, loaded: Set<ExportEntity>, forced: Set<String> = [], origin: Int64? = nil,
                                attempt: String? = nil) async throws -> ModelRunSummary {
        let range = "blocks \(first)-\(last)"
        try await createMissingRelations(loaded: loaded)
        return try await client.inTransaction(logger: logger) { connection in
            var summary = ModelRunSummary()
            var milliseconds: [String: Int] = [:]
            let clock = ContinuousClock()
            func elapsed(since start: ContinuousClock.Instant) -> Int {
                (clock.now - start).milliseconds
            }
            var started = clock.now
            for statement in ModelSQL.begin(dialect, schema: schema) {
                try await connection.checkedQuery(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
            if dialect == .postgres {
                // No load of this range runs while the models read it and record that they did.
                try await connection.checkedQuery(PostgresWarehouseSQL.rangeLock(schema: schema, first: first, last: last, shared: false), logger: logger)
            }
            started = clock.now
            for check in VerifyCheck.all where check.requires.isSubset(of: loaded) {
                let rows = try await execute(check.statement, on: connection, first: first, last: last, context: "check \(check.name) on \(range)")
                var values: (Int64, Int64)?
                for try await row in rows.decode((Int64, Int64).self) { values = row }
                guard let (found, expected) = values, found == expected else {
                    let (found, expected) = values ?? (-1, -1)
                    throw ModelError(.verifyFailed, "check \(check.name) failed on \(range): \(check.found) = \(found), \(check.expected) = \(expected); no model ran on this range", check: check.name)
                }
                summary.verified.append(check.name)
            }
            milliseconds["verify"] = elapsed(since: started)
            if let decoding {
                started = clock.now
                defer { milliseconds["decode"] = elapsed(since: started) }
                do {
                    summary.decoded = try await decoding.run(on: connection, schema: schema, first: first, last: last, loaded: loaded, forced: forced, origin: origin,
                                                             warehouse: try decodeWarehouse(), attempt: attempt, logger: logger)
                } catch let error as PSQLError {
                    throw Self.failure(error, context: "decode stage on \(range)")
                }
                if let invalidated = summary.decoded?.invalidated, let queue {
                    // A later range whose model job is still to run decodes them anyway (their
                    // runs are forgotten): only finished or running ones are requeued.
                    try await queue.backfillModels(invalidated.tables, from: invalidated.fromBlock, keepingWaiting: true)
                }
            }
            // A model reading a decoded table that waits on this range would run without the
            // range's rows and be recorded as applied, so it would not run again when the table
            // is decoded: it waits too (not run, not recorded), with the models depending on it,
            // and runs when the deferred job comes back.
            let waitingTables = Self.waitingNames(summary.decoded, decoding)
            var waitingModels = Set<String>()
            for model in catalog.models {
                let missing = catalog.requirements(of: model).subtracting(loaded)
                guard missing.isEmpty else {
                    summary.skipped[model.name] = "not loaded for this range: \(missing.map(\.rawValue).sorted().joined(separator: ", "))"
                    continue
                }
                if let reason = Self.waitReason(model, waitingTables: waitingTables, waitingModels: waitingModels) {
                    summary.skipped[model.name] = reason
                    waitingModels.insert(model.name)
                    continue
                }
                let fingerprint = model.fingerprint(dialect)
                let key = ModelSQL.bindings(model.name, first, last, fingerprint)
                if !forced.contains(model.name) {
                    let rows = try await connection.checkedQuery(PostgresQuery(unsafeSQL: ModelSQL.applied(schema: schema), binds: key), logger: logger)
                    var applied: Int64 = 0
                    for try await count in rows.decode(Int64.self) { applied = count }
                    if applied > 0 {
                        summary.upToDate.append(model.name)
                        continue
                    }
                }
                var skipsCreates = false
                if dialect == .postgres {
                    // Its tables and indexes there: their CREATE … IF NOT EXISTS are skipped (the
                    // index one would wait for every writer of its table). One missing: this run
                    // creates it under the model's lock, so two ranges never create it at once.
                    let created = model.statements(dialect).compactMap(\.createdRelation)
                    skipsCreates = true
                    if !created.isEmpty {
                        skipsCreates = try await !anyMissing(created, on: connection, context: "model \(model.name) on \(range)")
                    }
                    if !model.concurrent || !skipsCreates {
                        started = clock.now
                        try await connection.checkedQuery(ModelSQL.lockModel(model.name, schema: schema), logger: logger)
                        let waited = elapsed(since: started)
                        if waited > 0 { milliseconds["lock \(model.name)"] = waited }
                    }
                }
                started = clock.now
                for (index, statement) in model.statements(dialect).enumerated() where !(skipsCreates && statement.createdRelation != nil) {
                    try await execute(statement, on: connection, first: first, last: last,
                                      context: "model \(model.name) (\(model.source), statement \(index + 1)) on \(range)")
                }
                try await connection.checkedQuery(PostgresQuery(unsafeSQL: ModelSQL.forget(schema: schema), binds: ModelSQL.bindings(model.name, first, last)), logger: logger)
                try await connection.checkedQuery(PostgresQuery(unsafeSQL: ModelSQL.record(schema: schema), binds: key), logger: logger)
                summary.applied.append(model.name)
                milliseconds[model.name] = elapsed(since: started)
            }
            summary.milliseconds = milliseconds
            return summary
        }
    }

    /// Creates the missing tables and indexes of the built-in concurrent models this range runs
    /// (the enriched tables), in a short transaction of their own under each model's lock.
    ///
    /// Why: created inside a range's transaction, they stayed locked until that whole job
    /// committed, and every range starting meanwhile waited — for the model's lock, then in the
    /// `CREATE INDEX IF NOT EXISTS` that a run which found them missing still executes (its SHARE
    /// lock waits for every transaction writing the table): in `Benchmarks/end-to-end`, 23 s of
    /// lock waits and 1-4.6 s `enriched_transactions` steps over the first dozen model jobs.
    /// Built-in models only: their creates are plain and need nothing the run makes first.
    nonisolated func createMissingRelations(loaded: Set<ExportEntity>) async throws {
        guard dialect == .postgres else { return }
        let known = relationsExist.withLock { $0 }
        let models = catalog.models.filter { model in
            model.source == "built-in" && model.concurrent && !known.contains(model.name)
                && catalog.requirements(of: model).isSubset(of: loaded)
                && model.statements(dialect).contains { $0.createdRelation != nil }
        }
        guard !models.isEmpty else { return }
        let relations = models.flatMap { $0.statements(dialect).compactMap(\.createdRelation) }
        try await client.inTransaction(logger: logger) { connection in
            for statement in ModelSQL.begin(dialect, schema: schema) {
                try await connection.checkedQuery(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
            guard try await anyMissing(relations, on: connection, context: "the built-in models' tables") else { return }
            for model in models {
                let created = model.statements(dialect).compactMap(\.createdRelation)
                guard try await anyMissing(created, on: connection, context: "model \(model.name)'s tables") else { continue }
                try await connection.checkedQuery(ModelSQL.lockModel(model.name, schema: schema), logger: logger)
                // Another runner may have made them while this one waited.
                guard try await anyMissing(created, on: connection, context: "model \(model.name)'s tables") else { continue }
                for (index, statement) in model.statements(dialect).enumerated() where statement.createdRelation != nil {
                    try await execute(statement, on: connection, first: 0, last: 0,
                                      context: "model \(model.name) (\(model.source), statement \(index + 1)) creating its tables")
                }
            }
        }
        // Committed: they exist now.
        relationsExist.withLock { $0.formUnion(models.map(\.name)) }
    }

    /// Whether one of the relations (names as a model writes them) is not in the search path.
    nonisolated func anyMissing(_ relations: [String], on connection: PostgresConnection, context: String) async throws -> Bool {
        do {
            let rows = try await connection.checkedQuery(PostgresQuery(unsafeSQL: ModelSQL.missingRelations, binds: ModelSQL.bindings(relations)), logger: logger)
            var count: Int64 = 0
            for try await value in rows.decode(Int64.self) { count = value }
            return count > 0
        } catch let error as PSQLError {
            throw Self.failure(error, context: context)
        }
    }

    /// The names a model's SQL may use for each decoded table waiting on the range, lower-cased
    /// and unquoted: `dataset.table`, and on Postgres its shortened name when it has one.
    static func waitingNames(_ decoded: DecodeRunSummary?, _ decoding: DecodeStage?) -> [String: [String]] {
        guard let decoded, !decoded.waiting.isEmpty else { return [:] }
        var names: [String: [String]] = [:]
        for table in decoded.waiting.keys {
            var forms = [table.lowercased()]
            if let definition = decoding?.definitions.first(where: { DecodeStage.key($0) == table }) {
                forms.append("\(definition.postgresSchema).\(definition.postgresTable)".lowercased())
            }
            names[table] = Array(Set(forms))
        }
        return names
    }

    /// Why `model` waits on this range: its SQL names a waiting decoded table (schema-qualified,
    /// quoted or not, any case), or it depends on a model that waits; nil when it can run. A
    /// textual test: a model reaching the table some other way (a view, an unqualified name
    /// through the search path) is not seen.
    static func waitReason(_ model: WarehouseModel, waitingTables: [String: [String]], waitingModels: Set<String>) -> String? {
        if let blocked = model.dependsOn.first(where: waitingModels.contains) {
            return "its dependency \(blocked) waits for a decoded table on this range"
        }
        guard !waitingTables.isEmpty else { return nil }
        let text = (model.postgres + model.redshift).map { $0.text.lowercased().replacingOccurrences(of: "\"", with: "") }.joined(separator: "\n")
        for (table, forms) in waitingTables.sorted(by: { $0.key < $1.key }) where forms.contains(where: text.contains) {
            return "reads decoded table \(table), which waits for a dependency on this range; runs when the job comes back"
        }
        return nil
    }

    /// Runs one statement, turning a server error into a message naming what ran where.
    @discardableResult
    nonisolated func execute(_ statement: ModelStatement, on connection: PostgresConnection, first: Int64, last: Int64, context: String) async throws -> PostgresRowSequence {
        do {
            return try await connection.checkedQuery(statement.query(first: first, last: last), logger: logger)
        } catch let error as PSQLError {
            throw Self.failure(error, context: context)
        }
    }

    /// A server error as a model failure naming what ran where, retryable when transient.
    static func failure(_ error: PSQLError, context: String) -> ModelError {
        let server = error.serverInfo
        let sqlState = server?[.sqlState] ?? ""
        let message = server?[.message] ?? "\(error.code)"
        // Class 40 (serialization, deadlock) and 53/57/08 (resources, shutdown, connection) pass.
        let transient = ["40", "53", "57", "08"].contains(String(sqlState.prefix(2))) || server == nil
        return ModelError(.modelFailed, "\(context): \(message)\(sqlState.isEmpty ? "" : " (SQLSTATE \(sqlState))")", retryable: transient)
    }
}
