// The decode stage: one pass over a range's logs and traces for every enabled table definition.

import Crypto
import Foundation
import Logging
import NIOCore
import PostgresNIO

/// Decodes a loaded range into the decoded tables (`<dataset>.<table>`), inside the model job's
/// transaction, before the models (a model may read a decoded table).
///
/// Why part of the model job and not a `decode` job kind: the model job already comes once per
/// range after its last load, holds the range's lock exclusively (no reload interleaves), records
/// what it applied per range with a fingerprint in the runs table (which every load of the range
/// clears, and which `models backfill` forces past), and commits all or nothing. Decoding there
/// needs no new queue state, and a range's decoded tables and models change together. Each table
/// is a run named `decode:<dataset>.<table>` with the definition's fingerprint, so a changed
/// definition is decoded again on every range its model job visits, as a changed model is.
///
/// One pass: the range's logs (and calls, when a trace definition is enabled) are read once, each
/// row is dispatched by topic 0 (selector) through `DecodeDispatchIndex`, filtered by the
/// definition's contracts, decoded, and appended to that table's COPY rows. A row that does not
/// fit the ABI or a column is skipped and counted, never an error. A table whose contracts come
/// from `ref('T')` keeps its rows with their contract until `T` is written for the range, then
/// keeps those of the contracts its query selects (`DecodeContractSQL`); it waits, and its model
/// job is deferred, while `T`'s high-water mark is below the range (see `run`, docs/decoding.md).
public struct DecodeStage: Sendable {
    /// Which contracts a definition reads, as the pass checks them.
    enum Contracts: Sendable {
        case all
        /// Lower-cased addresses.
        case set(Set<String>)
        /// A ref() filter: known once the tables it reads are written for the range.
        case query(ContractQuery)
    }

    /// The definitions decoded, dependencies before their dependents.
    public let definitions: [DecodedTableDefinition]
    let contracts: [Contracts]
    /// For each definition, the positions of the definitions its ref() filter reads.
    let dependencies: [[Int]]
    /// For each definition, the positions of every definition reading it, directly or not.
    let dependents: [[Int]]
    /// Each definition's fingerprint combined with its dependencies': a changed factory
    /// definition decodes its dependents again, as a changed model runs its dependents again.
    public let fingerprints: [String]
    /// How long a model job whose dependent tables wait on a dependency's high-water mark waits
    /// before it is tried again. Default 30 s (`BLOCKFLEET_DECODE_WAIT_SECONDS`).
    public var waitSeconds: Double

    /// Refuses definitions the stage cannot run (`DecodedTableCatalog.stageRefusal`), a ref() to a
    /// table not among `definitions`, and cycles, each naming the file. Puts dependencies first.
    public init(definitions given: [DecodedTableDefinition], waitSeconds: Double = 30) throws(DecodedTableError) {
        for definition in given {
            if let refusal = DecodedTableCatalog.stageRefusal(definition) { throw refusal }
        }
        var byKey: [String: Int] = [:]
        for (position, definition) in given.enumerated() { byKey[Self.key(definition)] = position }
        var edges: [[Int]] = []
        for definition in given {
            var positions: [Int] = []
            for table in definition.dependencies {
                guard let position = byKey[definition.warehouseSchema + "." + table.lowercased()] else {
                    throw DecodedTableError(file: definition.file, .unresolvedReference, "ref('\(table)') names no table decoded with it")
                }
                positions.append(position)
            }
            edges.append(positions)
        }
        // Kahn's algorithm, keeping the given order among the ready; what remains is a cycle.
        var order: [Int] = []
        var placed = Set<Int>()
        while order.count < given.count {
            let ready = given.indices.filter { !placed.contains($0) && edges[$0].allSatisfy(placed.contains) }
            guard !ready.isEmpty else {
                let cycle = given.indices.filter { !placed.contains($0) }.map { given[$0] }
                throw DecodedTableError(file: cycle[0].file, .unresolvedReference,
                                        "its ref() dependencies form a cycle (\(cycle.map { Self.key($0) }.joined(separator: ", ")))")
            }
            order += ready
            placed.formUnion(ready)
        }
        let positionOf = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        definitions = order.map { given[$0] }
        dependencies = order.map { edges[$0].map { positionOf[$0]! }.sorted() }
        var dependents = Array(repeating: Set<Int>(), count: order.count)
        for position in definitions.indices.reversed() {
            for dependency in dependencies[position] {
                dependents[dependency].insert(position)
                dependents[dependency].formUnion(dependents[position])
            }
        }
        self.dependents = dependents.map { $0.sorted() }
        var fingerprints: [String] = []
        for (position, definition) in definitions.enumerated() {
            let own = definition.fingerprint
            let deps = dependencies[position].map { fingerprints[$0] }
            fingerprints.append(deps.isEmpty ? own : ABIHex.text(Keccak256.hash(([own] + deps).joined(separator: "|"))))
        }
        self.fingerprints = fingerprints
        contracts = definitions.map { definition in
            switch definition.contracts {
            case .all: .all
            case .addresses(let list): .set(Set(list.map { $0.lowercased() }))
            case .query(let query): .query(query)
            }
        }
        self.waitSeconds = waitSeconds
    }

    static func key(_ definition: DecodedTableDefinition) -> String {
        "\(definition.warehouseSchema).\(definition.warehouseTable)"
    }

    /// The runs-table name of a definition's decoding.
    public static func runName(_ definition: DecodedTableDefinition) -> String {
        "decode:\(definition.warehouseSchema).\(definition.warehouseTable)"
    }

    /// The entities a definition's rows come from.
    static func requirements(_ definition: DecodedTableDefinition) -> Set<ExportEntity> {
        definition.parserType == .log ? [.logs, .blocks] : [.traces, .blocks]
    }

    /// Creates the datasets' schemas and the tables when missing, and adds columns a changed
    /// schema gained; and, in the warehouse schema, the table of per-range counts and digests.
    /// Runs in the caller's transaction.
    public func prepare(on connection: PostgresConnection, schema warehouse: String, logger: Logger) async throws {
        try await connection.checkedQuery(PostgresQuery(unsafeSQL: DecodeStageSQL.createDecodedRanges(schema: warehouse)), logger: logger)
        for schema in Set(definitions.map(\.postgresSchema)).sorted() {
            try await connection.checkedQuery(PostgresWarehouseSQL.lock(PostgresWarehouse.lockKey("schema:\(schema)")), logger: logger)
            var exists = false
            for try await found in try await connection.checkedQuery("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = \(schema))", logger: logger).decode(Bool.self) {
                exists = found
            }
            if !exists {
                try await connection.checkedQuery(PostgresQuery(unsafeSQL: PostgresWarehouseSQL.createSchema(schema)), logger: logger)
            }
        }
        // Analysts (`blockfleet_reader`, when the role exists) read decoded tables as they read the
        // warehouse's; a schema owned by another login is that login's to grant.
        var reader = false
        for schema in Set(definitions.map(\.postgresSchema)) {
            for try await (exists, owner) in try await connection.checkedQuery(DecodeStageSQL.readerGrants(schema: schema), logger: logger).decode((Bool, Bool).self) {
                reader = exists
                if exists && owner {
                    try await connection.checkedQuery(PostgresQuery(unsafeSQL: DecodeStageSQL.grantSchema(schema)), logger: logger)
                }
            }
        }
        if reader {
            var owned = false
            for try await mine in try await connection.checkedQuery(DecodeStageSQL.owns(schema: warehouse, table: DecodeStageSQL.decodedRangesTable), logger: logger).decode(Bool.self) { owned = mine }
            if owned {
                try await connection.checkedQuery(PostgresQuery(unsafeSQL: DecodeStageSQL.grantDecodedRanges(schema: warehouse)), logger: logger)
            }
        }
        for definition in definitions {
            try await connection.checkedQuery(PostgresQuery(unsafeSQL: DecodeStageSQL.createTable(definition)), logger: logger)
            try await connection.checkedQuery(PostgresQuery(unsafeSQL: DecodeStageSQL.createIndex(definition)), logger: logger)
            for column in definition.columns where !column.isFixed {
                try await connection.checkedQuery(PostgresQuery(unsafeSQL: DecodeStageSQL.addColumn(definition, column)), logger: logger)
            }
            if reader {
                var owned = false
                for try await mine in try await connection.checkedQuery(DecodeStageSQL.ownsTable(definition), logger: logger).decode(Bool.self) { owned = mine }
                if owned {
                    try await connection.checkedQuery(PostgresQuery(unsafeSQL: DecodeStageSQL.grantTable(definition)), logger: logger)
                }
            }
        }
    }

    /// Decodes `[first, last]` of the warehouse `schema` into every table not yet decoded there
    /// with its current definition (or named in `forced`, with the tables reading it): deletes the
    /// range, copies the rows, and records the run. Leaves the search path at `schema`. Runs in
    /// the caller's transaction.
    ///
    /// The order rule: a table whose filter reads `ref('T')` is decoded on a range only when `T`
    /// is decoded there too (in this run, first, or before) and `T`'s high-water mark — the last
    /// block up to which `T` is decoded on every range from `origin` (the first planned block),
    /// with its current definition — reaches the block before `first`. Otherwise the table waits
    /// (`summary.waiting`, nothing written or recorded for it) and the model job is tried again
    /// later. `origin` nil (a job enqueued without it): every dependent table waits.
    ///
    /// `warehouse` Redshift: the same plan, reads and records in Redshift's SQL
    /// (`RedshiftDecodeSQL`); each table's rows are staged to S3 under `attempt`'s key
    /// (`j<job>-a<lease token>`; nil: a random name) and COPYed (`writeRedshift`).
    public func run(on connection: PostgresConnection, schema: String, first: Int64, last: Int64,
                    loaded: Set<ExportEntity>, forced: Set<String> = [], origin: Int64? = nil,
                    warehouse: DecodeWarehouse = .postgres, attempt: String? = nil, logger: Logger) async throws -> DecodeRunSummary {
        let redshift = warehouse.redshift
        var summary = DecodeRunSummary()
        var applied: [String: String] = [:]
        for try await (name, fingerprint) in try await connection.checkedQuery(DecodeStageSQL.applied(schema: schema, first: first, last: last), logger: logger).decode((String, String).self) {
            applied[name] = fingerprint
        }
        var previous: [String: (decoded: Int, skipped: Int, digest: String?, fingerprint: String?)] = [:]
        for try await (name, decoded, skipped, digest, fingerprint) in try await connection.checkedQuery(DecodeStageSQL.rangeCounts(schema: schema, first: first, last: last), logger: logger).decode((String, Int64, Int64, String?, String?).self) {
            previous[name] = (Int(decoded), Int(skipped), digest, fingerprint)
        }
        var forcedPositions = Set<Int>()
        for (position, definition) in definitions.enumerated() where forced.contains(Self.runName(definition)) {
            forcedPositions.insert(position)
            forcedPositions.formUnion(dependents[position])
        }
        // What happens to each table on this range, dependencies first.
        enum Plan { case notLoaded, upToDate, waiting, decode }
        var plans: [Plan] = []
        var marks: [Int: Int64] = [:]
        for (position, definition) in definitions.enumerated() {
            let name = Self.key(definition)
            let missing = Self.requirements(definition).subtracting(loaded)
            if !missing.isEmpty {
                summary.notLoaded[name] = "not loaded for this range: \(missing.map(\.rawValue).sorted().joined(separator: ", "))"
                plans.append(.notLoaded)
                continue
            }
            if let blocked = dependencies[position].first(where: { plans[$0] == .notLoaded }) {
                summary.notLoaded[name] = "its dependency \(Self.key(definitions[blocked])) is not loaded for this range"
                plans.append(.notLoaded)
                continue
            }
            let upToDate = !forcedPositions.contains(position) && applied[Self.runName(definition)] == fingerprints[position]
            if upToDate {
                summary.upToDate.append(name)
                if let counts = previous[name] { summary.counts[name] = DecodedTableCounts(decoded: counts.decoded, skipped: counts.skipped) }
                plans.append(.upToDate)
                continue
            }
            var reason: String?
            for dependency in dependencies[position] {
                let dependencyName = Self.key(definitions[dependency])
                if plans[dependency] == .waiting {
                    reason = "its dependency \(dependencyName) waits"
                    break
                }
                guard let origin else {
                    reason = "the model job names no first planned block (origin); enqueue it again (`coordinator parse backfill`)"
                    break
                }
                guard first > origin else { continue }
                let mark: Int64
                if let known = marks[dependency] {
                    mark = known
                } else {
                    mark = try await contiguousMark(on: connection, schema: schema, dependency, origin: origin, logger: logger)
                    marks[dependency] = mark
                }
                if mark < first - 1 {
                    reason = "\(dependencyName) is decoded contiguously from block \(origin) to \(mark) only; needs \(first - 1)"
                    break
                }
            }
            if let reason {
                summary.waiting[name] = reason
                plans.append(.waiting)
            } else {
                plans.append(.decode)
            }
        }
        let pending = plans.indices.filter { plans[$0] == .decode }
        guard !pending.isEmpty else { return summary }

        let selected = pending.map { definitions[$0] }
        let selectedContracts = pending.map { contracts[$0] }
        let index = DecodeDispatchIndex(selected)
        var memo = DecodedCellsMemo(selected)
        var timestamps = TimestampTextCache()
        var outputs = zip(selected, selectedContracts).map { definition, contracts -> DecodedCopyRows in
            var tracks = false
            if case .query = contracts { tracks = true }
            return DecodedCopyRows(tracksContracts: tracks, format: redshift == nil ? .postgresCopy : .jsonLines(definition.columns.map { $0.name.lowercased() }))
        }
        let readStarted = ContinuousClock.now
        if index.hasLogDefinitions {
            let anonymous = selected.contains { $0.parserType == .log && $0.entry.anonymous }
            let topic0s = anonymous ? nil : Array(Set(selected.filter { $0.parserType == .log }.map { ABIHex.text($0.entry.topic0) })).sorted()
            let query = redshift == nil ? DecodeStageSQL.logs(schema: schema, first: first, last: last, topic0s: topic0s)
                : RedshiftDecodeSQL.logs(schema: schema, first: first, last: last, topic0s: topic0s)
            let rows = try await connection.checkedQuery(query, logger: logger)
            for try await (block, logIndex, transaction, address, data, topics, timestamp) in rows.decode((Int64, Int64, String?, String?, String?, String?, Int64?).self) {
                let topicWords = Self.topics(topics)
                let candidates = index.logCandidates(topics: topicWords)
                guard !candidates.isEmpty else { continue }
                let contract = address?.lowercased()
                let bytes = ABIHex.bytes(data ?? "0x") ?? []
                let stamp = timestamps.text(timestamp)
                memo.reset()
                for candidate in candidates {
                    if case .set(let allowed) = selectedContracts[candidate] {
                        guard let contract, allowed.contains(contract) else { continue }
                    }
                    guard let cells = try Self.cells(memo.cells(candidate) { try selected[candidate].decodeLog(topics: topicWords, data: bytes) }, redshift: redshift != nil) else {
                        outputs[candidate].skip(contract: contract)
                        continue
                    }
                    outputs[candidate].field(stamp)
                    outputs[candidate].field(block)
                    outputs[candidate].field(transaction)
                    outputs[candidate].field(logIndex)
                    outputs[candidate].field(contract)
                    for cell in cells { outputs[candidate].field(cell) }
                    outputs[candidate].endRow(contract: contract)
                }
            }
        }
        if index.hasTraceDefinitions {
            let selectors = Array(Set(selected.filter { $0.parserType == .trace }.map { ABIHex.text($0.entry.signatureHash.prefix(4)) })).sorted()
            let query = redshift == nil ? DecodeStageSQL.traces(schema: schema, first: first, last: last, selectors: selectors)
                : RedshiftDecodeSQL.traces(schema: schema, first: first, last: last, selectors: selectors)
            let rows = try await connection.checkedQuery(query, logger: logger)
            for try await (block, transaction, transactionIndex, traceAddress, to, status, input, timestamp) in rows.decode((Int64, String?, Int64?, String?, String?, Int64?, String?, Int64?).self) {
                guard let input, let bytes = ABIHex.bytes(input) else { continue }
                let candidates = index.traceCandidates(input: bytes)
                guard !candidates.isEmpty else { continue }
                let contract = to?.lowercased()
                let stamp = timestamps.text(timestamp)
                memo.reset()
                for candidate in candidates {
                    if case .set(let allowed) = selectedContracts[candidate] {
                        guard let contract, allowed.contains(contract) else { continue }
                    }
                    guard let cells = try Self.cells(memo.cells(candidate) { try selected[candidate].decodeCall(input: bytes) }, redshift: redshift != nil) else {
                        outputs[candidate].skip(contract: contract)
                        continue
                    }
                    outputs[candidate].field(stamp)
                    outputs[candidate].field(block)
                    outputs[candidate].field(transaction)
                    outputs[candidate].field(transactionIndex)
                    outputs[candidate].field(traceAddress)
                    outputs[candidate].field(contract)
                    outputs[candidate].field(status)
                    outputs[candidate].field(nil as String?)
                    for cell in cells { outputs[candidate].field(cell) }
                    outputs[candidate].endRow(contract: contract)
                }
            }
        }

        summary.milliseconds["read"] = (ContinuousClock.now - readStarted).milliseconds
        let writeStarted = ContinuousClock.now

        // Dependencies are written first, so a dependent's filter reads this range's rows too
        // (a pair created in the range is seen by the range's swaps).
        var invalidated = Set<Int>()
        // Tables of one factory share their filter (Uniswap V2's Swap, Sync, Mint, Burn… all read
        // `SELECT pair FROM ref('PairCreated')`): each distinct query runs once per range, after
        // the last table it reads is written (catalog order guarantees that for its first user).
        var sets: [String: Set<String>] = [:]
        // Postgres: runs and counts of every table written, recorded together after the loop.
        var records: [(run: String, table: String, decoded: Int64, skipped: Int64, digest: String?, fingerprint: String)] = []
        var searchPath: String?
        for (slot, position) in pending.enumerated() {
            let definition = definitions[position]
            var output = outputs[slot]
            if case .query(let query) = contracts[position] {
                let key = "\(definition.warehouseSchema)|\(query)"
                if sets[key] == nil {
                    let dataset = definitions.filter { $0.warehouseSchema == definition.warehouseSchema }
                    if redshift != nil {
                        sets[key] = try await redshiftContracts(query, dataset: dataset, last: last, on: connection, logger: logger)
                    } else {
                        var allowed = Set<String>()
                        for try await address in try await connection.checkedQuery(try DecodeContractSQL.addresses(query, dataset: dataset, last: last), logger: logger).decode(String.self) {
                            allowed.insert(address)
                        }
                        sets[key] = allowed
                    }
                }
                output = output.keeping(sets[key] ?? [])
            }
            if let redshift {
                try await writeRedshift(output, definition, first: first, last: last, target: redshift,
                                        attempt: attempt ?? "r\(UUID().uuidString.lowercased())", on: connection, logger: logger)
            } else {
                try await connection.checkedQuery(DecodeStageSQL.deleteRange(definition, first: first, last: last), logger: logger)
                if output.rows > 0 {
                    if searchPath != definition.postgresSchema {
                        try await connection.checkedQuery(PostgresQuery(unsafeSQL: DecodeStageSQL.searchPath(definition.postgresSchema)), logger: logger)
                        searchPath = definition.postgresSchema
                    }
                    try connection.requireOpen()
                    try await connection.copyFrom(table: definition.postgresTable, columns: definition.columns.map(\.name), logger: logger) { writer in
                        try await writer.write(ByteBuffer(bytes: output.bytes))
                    }
                }
            }
            // A table others read remembers a digest of its rows per range: when a reload changes
            // them, the tables reading it were decoded on later ranges against the old rows.
            var digest: String?
            if !dependents[position].isEmpty {
                digest = ABIHex.text(Array(SHA256.hash(data: output.bytes)))
                // Only under the same definition: a changed one changes its dependents'
                // fingerprints too, and they are decoded again on every range anyway.
                if let before = previous[Self.key(definition)], let old = before.digest, old != digest, before.fingerprint == fingerprints[position] {
                    invalidated.formUnion(dependents[position])
                }
            }
            if redshift != nil {
                let name = Self.runName(definition)
                try await connection.checkedQuery(PostgresQuery(unsafeSQL: ModelSQL.forget(schema: schema), binds: ModelSQL.bindings(name, first, last)), logger: logger)
                try await connection.checkedQuery(PostgresQuery(unsafeSQL: ModelSQL.record(schema: schema), binds: ModelSQL.bindings(name, first, last, fingerprints[position])), logger: logger)
                for statement in RedshiftDecodeSQL.recordCounts(schema: schema, table: Self.key(definition), first: first, last: last, decoded: output.rows,
                                                                skipped: output.skipped, digest: digest, fingerprint: fingerprints[position]) {
                    try await connection.checkedQuery(statement, logger: logger)
                }
            } else {
                records.append((Self.runName(definition), Self.key(definition), Int64(output.rows), Int64(output.skipped), digest, fingerprints[position]))
            }
            let counts = DecodedTableCounts(decoded: output.rows, skipped: output.skipped)
            summary.tables[Self.key(definition)] = counts
            summary.counts[Self.key(definition)] = counts
        }
        if !records.isEmpty {
            try await connection.checkedQuery(DecodeStageSQL.recordRuns(schema: schema, names: records.map(\.run), fingerprints: records.map(\.fingerprint),
                                                                        first: first, last: last), logger: logger)
            try await connection.checkedQuery(DecodeStageSQL.recordCounts(schema: schema, tables: records.map(\.table), first: first, last: last,
                                                                          decoded: records.map(\.decoded), skipped: records.map(\.skipped),
                                                                          digests: records.map(\.digest), fingerprints: records.map(\.fingerprint)), logger: logger)
        }
        if !invalidated.isEmpty {
            // Their runs on later ranges are forgotten here (their marks drop, so what reads them
            // waits), and the model job asks the queue to visit those ranges again.
            let names = invalidated.sorted().map { Self.runName(definitions[$0]) }
            try await connection.checkedQuery(redshift == nil ? DecodeStageSQL.forgetLater(schema: schema, names: names, after: last)
                                              : RedshiftDecodeSQL.forgetLater(schema: schema, names: names, after: last), logger: logger)
            summary.invalidated = DecodeInvalidation(tables: names, fromBlock: last + 1)
        }
        if redshift == nil {
            try await connection.checkedQuery(PostgresQuery(unsafeSQL: DecodeStageSQL.searchPath(schema)), logger: logger)
        }
        summary.milliseconds["write"] = (ContinuousClock.now - writeStarted).milliseconds
        return summary
    }

    /// The high-water mark of `definitions[position]`: the last block up to which it is decoded
    /// with its current definition on every range from `origin` on (`origin - 1`: none).
    func contiguousMark(on connection: PostgresConnection, schema: String, _ position: Int, origin: Int64, logger: Logger) async throws -> Int64 {
        var mark = origin - 1
        let query = DecodeStageSQL.contiguousMark(schema: schema, run: Self.runName(definitions[position]), fingerprint: fingerprints[position], origin: origin)
        for try await value in try await connection.checkedQuery(query, logger: logger).decode(Int64.self) { mark = value }
        return mark
    }

    /// A row's cells, or nil when the row is skipped: it does not fit the ABI or a column, or
    /// (`redshift`) a value is too long for Redshift. Any other error is thrown.
    static func cells(_ result: Result<[String], any Error>, redshift: Bool) throws -> [String]? {
        switch result {
        case .success(let cells):
            return !redshift || fitsRedshift(cells) ? cells : nil
        case .failure(let error):
            if error is ABIDecodeError { return nil }
            throw error
        }
    }

    /// The text of the last block timestamp seen: consecutive rows mostly share their block.
    struct TimestampTextCache {
        private var seconds: Int64?
        private var text: String?

        mutating func text(_ value: Int64?) -> String? {
            guard let value else { return nil }
            if value != seconds {
                seconds = value
                text = DecodedColumnType.timestampText(value)
            }
            return text
        }
    }

    /// Whether every value fits Redshift's VARCHAR(65535) (and the staging column a SUPER value
    /// passes through): a longer one makes the row not fit, skipped and counted like a log that
    /// does not fit its ABI (Postgres stores it).
    public static func fitsRedshift(_ cells: [String]) -> Bool {
        cells.allSatisfy { $0.utf8.count <= DecodedColumnType.redshiftTextLimit }
    }

    /// ethereum-etl's comma-joined topics as bytes (NULL or empty: none). A topic that is not
    /// hex stays empty bytes, which fits no definition.
    static func topics(_ text: String?) -> [[UInt8]] {
        guard var text, !text.isEmpty else { return [] }
        // On the UTF-8 bytes: splitting the String by Character cost a third of the stage.
        return text.withUTF8 { utf8 in
            var topics: [[UInt8]] = []
            topics.reserveCapacity(4)
            var start = 0
            for index in 0...utf8.count where index == utf8.count || utf8[index] == UInt8(ascii: ",") {
                topics.append(ABIHex.bytes(utf8: UnsafeBufferPointer(rebasing: utf8[start..<index])) ?? [])
                start = index + 1
            }
            return topics
        }
    }
}
