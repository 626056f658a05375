// The decode stage: one pass over a range's logs and traces for every enabled table definition.

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
/// fit the ABI or a column is skipped and counted, never an error.
public struct DecodeStage: Sendable {
    /// The definitions decoded, in catalog order.
    public let definitions: [DecodedTableDefinition]
    /// Each definition's contracts, lower-cased; nil: every contract.
    let contracts: [Set<String>?]

    /// Refuses definitions the stage cannot run (`DecodedTableCatalog.stageRefusal`).
    public init(definitions: [DecodedTableDefinition]) throws(DecodedTableError) {
        var contracts: [Set<String>?] = []
        for definition in definitions {
            if let refusal = DecodedTableCatalog.stageRefusal(definition) { throw refusal }
            switch definition.contracts {
            case .all: contracts.append(nil)
            case .addresses(let list): contracts.append(Set(list.map { $0.lowercased() }))
            case .query: contracts.append([])
            }
        }
        self.definitions = definitions
        self.contracts = contracts
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
    /// schema gained. Runs in the caller's transaction.
    public func prepare(on connection: PostgresConnection, logger: Logger) async throws {
        for schema in Set(definitions.map(\.warehouseSchema)).sorted() {
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
        for schema in Set(definitions.map(\.warehouseSchema)) {
            for try await (exists, owner) in try await connection.checkedQuery(DecodeStageSQL.readerGrants(schema: schema), logger: logger).decode((Bool, Bool).self) {
                reader = exists
                if exists && owner {
                    try await connection.checkedQuery(PostgresQuery(unsafeSQL: DecodeStageSQL.grantSchema(schema)), logger: logger)
                }
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
    /// with its current definition (or named in `forced`): deletes the range, copies the rows, and
    /// records the run. Leaves the search path at `schema`. Runs in the caller's transaction.
    public func run(on connection: PostgresConnection, schema: String, first: Int64, last: Int64,
                    loaded: Set<ExportEntity>, forced: Set<String> = [], logger: Logger) async throws -> DecodeRunSummary {
        var summary = DecodeRunSummary()
        var applied: [String: String] = [:]
        for try await (name, fingerprint) in try await connection.checkedQuery(DecodeStageSQL.applied(schema: schema, first: first, last: last), logger: logger).decode((String, String).self) {
            applied[name] = fingerprint
        }
        var pending: [Int] = []
        for (position, definition) in definitions.enumerated() {
            let name = "\(definition.warehouseSchema).\(definition.warehouseTable)"
            let missing = Self.requirements(definition).subtracting(loaded)
            if !missing.isEmpty {
                summary.notLoaded[name] = "not loaded for this range: \(missing.map(\.rawValue).sorted().joined(separator: ", "))"
            } else if !forced.contains(Self.runName(definition)), applied[Self.runName(definition)] == definition.fingerprint {
                summary.upToDate.append(name)
            } else {
                pending.append(position)
            }
        }
        guard !pending.isEmpty else { return summary }

        let selected = pending.map { definitions[$0] }
        let selectedContracts = pending.map { contracts[$0] }
        let index = DecodeDispatchIndex(selected)
        var outputs = Array(repeating: DecodedCopyRows(), count: selected.count)
        if index.hasLogDefinitions {
            let anonymous = selected.contains { $0.parserType == .log && $0.entry.anonymous }
            let topic0s = anonymous ? nil : Array(Set(selected.filter { $0.parserType == .log }.map { ABIHex.text($0.entry.topic0) })).sorted()
            let rows = try await connection.checkedQuery(DecodeStageSQL.logs(schema: schema, first: first, last: last, topic0s: topic0s), logger: logger)
            for try await (block, logIndex, transaction, address, data, topics, timestamp) in rows.decode((Int64, Int64, String?, String?, String?, String?, Int64?).self) {
                let topicWords = Self.topics(topics)
                let candidates = index.logCandidates(topics: topicWords)
                guard !candidates.isEmpty else { continue }
                let contract = address?.lowercased()
                let bytes = ABIHex.bytes(data ?? "0x") ?? []
                for candidate in candidates {
                    if let allowed = selectedContracts[candidate] {
                        guard let contract, allowed.contains(contract) else { continue }
                    }
                    let cells: [String]
                    do {
                        cells = try selected[candidate].decodeLog(topics: topicWords, data: bytes)
                    } catch is ABIDecodeError {
                        outputs[candidate].skipped += 1
                        continue
                    }
                    outputs[candidate].field(timestamp.flatMap(DecodedColumnType.timestampText))
                    outputs[candidate].field(block)
                    outputs[candidate].field(transaction)
                    outputs[candidate].field(logIndex)
                    outputs[candidate].field(contract)
                    for cell in cells { outputs[candidate].field(cell) }
                    outputs[candidate].endRow()
                }
            }
        }
        if index.hasTraceDefinitions {
            let selectors = Array(Set(selected.filter { $0.parserType == .trace }.map { ABIHex.text($0.entry.signatureHash.prefix(4)) })).sorted()
            let rows = try await connection.checkedQuery(DecodeStageSQL.traces(schema: schema, first: first, last: last, selectors: selectors), logger: logger)
            for try await (block, transaction, transactionIndex, traceAddress, to, status, input, timestamp) in rows.decode((Int64, String?, Int64?, String?, String?, Int64?, String?, Int64?).self) {
                guard let input, let bytes = ABIHex.bytes(input) else { continue }
                let candidates = index.traceCandidates(input: bytes)
                guard !candidates.isEmpty else { continue }
                let contract = to?.lowercased()
                for candidate in candidates {
                    if let allowed = selectedContracts[candidate] {
                        guard let contract, allowed.contains(contract) else { continue }
                    }
                    let cells: [String]
                    do {
                        cells = try selected[candidate].decodeCall(input: bytes)
                    } catch is ABIDecodeError {
                        outputs[candidate].skipped += 1
                        continue
                    }
                    outputs[candidate].field(timestamp.flatMap(DecodedColumnType.timestampText))
                    outputs[candidate].field(block)
                    outputs[candidate].field(transaction)
                    outputs[candidate].field(transactionIndex)
                    outputs[candidate].field(traceAddress)
                    outputs[candidate].field(contract)
                    outputs[candidate].field(status)
                    outputs[candidate].field(nil as String?)
                    for cell in cells { outputs[candidate].field(cell) }
                    outputs[candidate].endRow()
                }
            }
        }

        for (position, definition) in selected.enumerated() {
            try await connection.checkedQuery(DecodeStageSQL.deleteRange(definition, first: first, last: last), logger: logger)
            let output = outputs[position]
            if output.rows > 0 {
                try await connection.checkedQuery(PostgresQuery(unsafeSQL: DecodeStageSQL.searchPath(definition.warehouseSchema)), logger: logger)
                try connection.requireOpen()
                try await connection.copyFrom(table: definition.warehouseTable, columns: definition.columns.map(\.name), logger: logger) { writer in
                    try await writer.write(output.buffer)
                }
            }
            let name = Self.runName(definition)
            try await connection.checkedQuery(PostgresQuery(unsafeSQL: ModelSQL.forget(schema: schema), binds: ModelSQL.bindings(name, first, last)), logger: logger)
            try await connection.checkedQuery(PostgresQuery(unsafeSQL: ModelSQL.record(schema: schema), binds: ModelSQL.bindings(name, first, last, definition.fingerprint)), logger: logger)
            summary.tables["\(definition.warehouseSchema).\(definition.warehouseTable)"] = DecodedTableCounts(decoded: output.rows, skipped: output.skipped)
        }
        try await connection.checkedQuery(PostgresQuery(unsafeSQL: DecodeStageSQL.searchPath(schema)), logger: logger)
        return summary
    }

    /// ethereum-etl's comma-joined topics as bytes (NULL or empty: none). A topic that is not
    /// hex stays empty bytes, which fits no definition.
    static func topics(_ text: String?) -> [[UInt8]] {
        guard let text, !text.isEmpty else { return [] }
        return text.split(separator: ",", omittingEmptySubsequences: false).map { ABIHex.bytes($0) ?? [] }
    }
}
