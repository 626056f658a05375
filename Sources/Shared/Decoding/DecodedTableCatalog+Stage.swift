// What of a catalog the decode stage runs: definitions it can decode, and the files it refuses.

extension DecodedTableCatalog {
    /// Postgres truncates identifiers beyond 63 bytes: longer table and schema names are shortened
    /// (`DecodedTableDefinition.postgresName`); longer column names are refused.
    public static let identifierLimit = 63

    /// Why the decode stage cannot run `definition` on its own, or nil when it can. A `ref('T')`
    /// filter is run (the stage decodes `T` first and waits for its high-water mark); names over
    /// 63 bytes are shortened.
    public static func stageRefusal(_ definition: DecodedTableDefinition) -> DecodedTableError? {
        // `pg_` names are the system's: schemas are refused by Postgres, and a table would be
        // found in pg_catalog first when COPY resolves it through the search path.
        if definition.postgresSchema.hasPrefix("pg_") || definition.postgresTable.hasPrefix("pg_") || definition.postgresSchema == "information_schema" {
            return DecodedTableError(file: definition.file, .invalidDefinition,
                                     "\(definition.warehouseSchema).\(definition.warehouseTable): pg_ names and information_schema belong to the system")
        }
        if let long = definition.schema.first(where: { $0.name.utf8.count > identifierLimit }) {
            return DecodedTableError(file: definition.file, .invalidDefinition, "schema field '\(long.name)' is longer than \(identifierLimit) bytes")
        }
        return nil
    }

    /// Every definition the stage refuses, with why: its own refusal, a Postgres name another
    /// definition already has (only a shortened name could), or a dependency refused.
    var stageRefusalsByFile: [String: DecodedTableError] {
        var refused: [String: DecodedTableError] = [:]
        var refusedTables = Set<String>()
        var owners: [String: String] = [:]
        // Catalog order puts dependencies first, so a dependency's refusal is known in time.
        for definition in definitions {
            let key = definition.warehouseSchema + "." + definition.warehouseTable
            var refusal = Self.stageRefusal(definition)
            if refusal == nil, let owner = owners[definition.postgresName] {
                refusal = DecodedTableError(file: definition.file, .duplicate, "its Postgres name \(definition.postgresName) is already \(owner)'s")
            }
            if refusal == nil, let dependency = definition.dependencies.first(where: { refusedTables.contains(definition.warehouseSchema + "." + $0.lowercased()) }) {
                refusal = DecodedTableError(file: definition.file, .unresolvedReference, "ref('\(dependency)') names a table the decode stage refuses")
            }
            if let refusal {
                refused[definition.file] = refusal
                refusedTables.insert(key)
            } else {
                owners[definition.postgresName] = definition.file
            }
        }
        return refused
    }

    /// The definitions the decode stage runs, in dependency order.
    public var decodable: [DecodedTableDefinition] {
        let refused = stageRefusalsByFile
        return definitions.filter { refused[$0.file] == nil }
    }

    /// Every refused file: those the catalog refused and those the decode stage cannot run.
    public var stageRefusals: [DecodedTableError] {
        (refusals + stageRefusalsByFile.values).sorted { $0.file < $1.file }
    }
}
