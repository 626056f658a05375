// The names a decoded table has in Postgres, where identifiers are at most 63 bytes.

extension DecodedTableDefinition {
    /// The Postgres table: `warehouseTable`, or, when that is longer than 63 bytes (Postgres would
    /// silently truncate it, and two long names could then share one table), its first 50 bytes,
    /// `_`, and 12 hex digits of Keccak-256 of the whole lower-cased name: 63 bytes, the same on
    /// every worker and every run, and readable by its prefix. `parse list` prints it.
    public var postgresTable: String { Self.postgresName(warehouseTable) }

    /// The Postgres schema: `warehouseSchema`, shortened by the same rule.
    public var postgresSchema: String { Self.postgresName(warehouseSchema) }

    /// `schema.table` as Postgres knows it.
    public var postgresName: String { "\(postgresSchema).\(postgresTable)" }

    /// A lower-case identifier of letters, digits and `_` (the catalog checks names) kept as it
    /// is up to 63 bytes, else shortened to a 50-byte prefix, `_` and a 12-digit hash.
    public static func postgresName(_ name: String) -> String {
        guard name.utf8.count > DecodedTableCatalog.identifierLimit else { return name }
        let hash = ABIHex.text(Keccak256.hash(name)).dropFirst(2).prefix(12)
        return String(decoding: name.utf8.prefix(50), as: UTF8.self) + "_" + hash
    }
}
