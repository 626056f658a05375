// What of a catalog the decode stage runs: definitions it can decode, and the files it refuses.

extension DecodedTableCatalog {
    /// Postgres truncates identifiers beyond 63 bytes; two tables could then share one name.
    public static let identifierLimit = 63

    /// Why the decode stage cannot run `definition`, or nil when it can.
    ///
    /// `ref('T')` filters are refused for now: decoding them correctly needs every row of `T` up
    /// to the range's last block, whatever order ranges load in (a per-table high-water mark of
    /// contiguously decoded blocks, with ranges waiting for it), which the stage does not keep yet.
    public static func stageRefusal(_ definition: DecodedTableDefinition) -> DecodedTableError? {
        if case .query = definition.contracts {
            return DecodedTableError(file: definition.file, .unsupportedContractFilter,
                                     "contract_address reads other decoded tables (\(definition.dependencies.joined(separator: ", "))); the decode stage does not evaluate ref() filters yet")
        }
        if definition.warehouseSchema.utf8.count > identifierLimit || definition.warehouseTable.utf8.count > identifierLimit {
            return DecodedTableError(file: definition.file, .invalidDefinition,
                                     "\(definition.warehouseSchema).\(definition.warehouseTable): a warehouse name is longer than \(identifierLimit) bytes")
        }
        // `pg_` names are the system's: schemas are refused by Postgres, and a table would be
        // found in pg_catalog first when COPY resolves it through the search path.
        if definition.warehouseSchema.hasPrefix("pg_") || definition.warehouseTable.hasPrefix("pg_") || definition.warehouseSchema == "information_schema" {
            return DecodedTableError(file: definition.file, .invalidDefinition,
                                     "\(definition.warehouseSchema).\(definition.warehouseTable): pg_ names and information_schema belong to the system")
        }
        if let long = definition.schema.first(where: { $0.name.utf8.count > identifierLimit }) {
            return DecodedTableError(file: definition.file, .invalidDefinition, "schema field '\(long.name)' is longer than \(identifierLimit) bytes")
        }
        return nil
    }

    /// The definitions the decode stage runs, in dependency order.
    public var decodable: [DecodedTableDefinition] {
        definitions.filter { Self.stageRefusal($0) == nil }
    }

    /// Every refused file: those the catalog refused and those the decode stage cannot run.
    public var stageRefusals: [DecodedTableError] {
        (refusals + definitions.compactMap(Self.stageRefusal)).sorted { $0.file < $1.file }
    }
}
