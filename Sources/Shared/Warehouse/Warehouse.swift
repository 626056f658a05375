// The loaders' view of a warehouse: make the tables, replace a range of one table.

/// A warehouse a load job writes to. `load` replaces the rows of one table in the job's block
/// range with the staged object's rows, all or nothing, so loading twice leaves the same rows.
public protocol Warehouse: Sendable {
    /// Creates the schema and the ethereum-etl tables if missing.
    func prepare() async throws
    func load(_ request: LoadRequest, into table: WarehouseTable, first: Int64, last: Int64) async throws -> LoadSummary
}

/// What one load did, kept in the job's result.
public struct LoadSummary: Sendable, Codable, Equatable {
    public let table: String
    public let rowsLoaded: Int
    public let rowsReplaced: Int
    public let bytes: Int

    public init(table: String, rowsLoaded: Int, rowsReplaced: Int, bytes: Int) {
        self.table = table
        self.rowsLoaded = rowsLoaded
        self.rowsReplaced = rowsReplaced
        self.bytes = bytes
    }

    enum CodingKeys: String, CodingKey {
        case table, rowsLoaded = "rows_loaded", rowsReplaced = "rows_replaced", bytes
    }
}
