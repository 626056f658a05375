// Each entity's columns: the names, in ethereum-etl 2.4.x's order, with their members and types.

/// The columns of one entity's output, in order. CSV headers, JSON keys, the mappers' value
/// order, the transcoder's cells, the warehouse DDL and the lake's schema all come from here,
/// so a column is added in exactly one table (`EntityColumns+Tables.swift`).
public struct EntityColumns: Sendable, Equatable {
    public let entity: ExportEntity
    public let columns: [Column]
    public let names: [String]
    /// Column name to position, so mappers set values by name and the order stays in `names`.
    private let positions: [String: Int]

    public init(entity: ExportEntity, _ columns: [Column]) {
        self.entity = entity
        self.columns = columns
        self.names = columns.map(\.name)
        var positions: [String: Int] = [:]
        for (index, name) in names.enumerated() { positions[name] = index }
        self.positions = positions
    }

    /// Text columns of the given names (writer tests and ad-hoc outputs).
    public init(entity: ExportEntity, names: [String]) {
        self.init(entity: entity, names.map { Column.computed($0, .text, nullable: true) })
    }

    public static func == (lhs: EntityColumns, rhs: EntityColumns) -> Bool {
        lhs.entity == rhs.entity && lhs.columns == rhs.columns
    }

    public var count: Int { names.count }

    /// The position of a column, or nil when the entity has no such column.
    public func index(of name: String) -> Int? { positions[name] }

    /// The column named, or nil.
    public subscript(name: String) -> Column? { positions[name].map { columns[$0] } }

    /// The columns of an entity.
    public static func of(_ entity: ExportEntity) -> EntityColumns {
        switch entity {
        case .blocks: return blocks
        case .transactions: return transactions
        case .receipts: return receipts
        case .logs: return logs
        case .tokenTransfers: return tokenTransfers
        case .traces: return traces
        case .contracts: return contracts
        case .tokens: return tokens
        }
    }
}
