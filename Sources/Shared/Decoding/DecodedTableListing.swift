// What `coordinator parse list` prints: every definition the decode stage would run, and every refused file.

/// A catalog as operators read it: per definition its dataset, table, parser type, contract
/// filter and dependencies; per refused file its reason (those the decode stage cannot run included).
public struct DecodedTableListing: Encodable, Sendable {
    public struct Entry: Encodable, Sendable {
        public let dataset: String
        public let table: String
        /// `dataset.table` in the warehouse (lower-cased).
        public let warehouseTable: String
        /// The same in Postgres: names over 63 bytes shortened (`DecodedTableDefinition.postgresName`).
        public let postgresTable: String
        public let type: String
        /// `all`, `address`, `address_list` or `query`.
        public let contractFilter: String
        /// The addresses of a literal filter.
        public let contracts: [String]?
        public let dependencies: [String]
        public let file: String

        enum CodingKeys: String, CodingKey {
            case dataset, table, warehouseTable = "warehouse_table", postgresTable = "postgres_table", type, contractFilter = "contract_filter", contracts, dependencies, file
        }
    }

    public struct Refusal: Encodable, Sendable {
        public let file: String
        public let code: String
        public let reason: String
    }

    public let definitions: [Entry]
    public let refused: [Refusal]

    public init(_ catalog: DecodedTableCatalog) {
        definitions = catalog.decodable.map { definition in
            var contracts: [String]?
            if case .addresses(let list) = definition.contracts { contracts = list }
            return Entry(dataset: definition.dataset, table: definition.tableName,
                         warehouseTable: "\(definition.warehouseSchema).\(definition.warehouseTable)", postgresTable: definition.postgresName,
                         type: definition.parserType.rawValue, contractFilter: definition.contracts.form, contracts: contracts,
                         dependencies: definition.dependencies, file: definition.file)
        }
        refused = catalog.stageRefusals.map { Refusal(file: $0.file, code: $0.code.rawValue, reason: $0.reason) }
    }

    /// One block per definition, for people.
    public var text: String {
        definitions.map { entry in
            var filter = entry.contractFilter
            if let contracts = entry.contracts { filter += " " + contracts.joined(separator: ", ") }
            return """
                \(entry.dataset).\(entry.table) (\(entry.type))
                  table:      \(entry.warehouseTable)\(entry.postgresTable == entry.warehouseTable ? "" : " (Postgres: \(entry.postgresTable))")
                  contracts:  \(filter)
                  depends on: \(entry.dependencies.isEmpty ? "-" : entry.dependencies.joined(separator: ", "))
                  file:       \(entry.file)
                """
        }.joined(separator: "\n")
    }
}
