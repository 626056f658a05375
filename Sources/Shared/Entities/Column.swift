// One output column: its name, where its value comes from, how it is written and what it holds.

/// A column of an entity, declared once in `EntityColumns`' tables. Writers take the order and
/// names, the transcoder and the mappers the node member and rendering, the warehouse and the
/// lake the type and nullability.
public struct Column: Sendable, Equatable {
    /// The name ethereum-etl gives it (CSV header, JSON key, warehouse column).
    public let name: String
    /// The node answer's member the value is read from (`nonce`, `blockHash`), or nil when the
    /// exporter computes it (a count, the block's timestamp, a trace id).
    public let member: String?
    public let rendering: ColumnRendering
    public let type: ColumnType
    /// Whether ethereum-etl can leave it empty (an optional member, a legacy transaction's fee cap).
    public let isNullable: Bool

    public init(_ name: String, member: String?, _ rendering: ColumnRendering, _ type: ColumnType, nullable: Bool) {
        self.name = name
        self.member = member
        self.rendering = rendering
        self.type = type
        self.isNullable = nullable
    }

    /// A member passed through as the node sent it (hashes, data).
    public static func text(_ name: String, _ member: String, nullable: Bool = false) -> Column {
        Column(name, member: member, .text, .text, nullable: nullable)
    }

    /// An address member, lower-cased as ethereum-etl's `to_normalized_address`.
    public static func address(_ name: String, _ member: String, nullable: Bool = false) -> Column {
        Column(name, member: member, .address, .text, nullable: nullable)
    }

    /// A hex quantity member written as decimal (`hex_to_dec`).
    public static func quantity(_ name: String, _ member: String, _ type: ColumnType = .integer, nullable: Bool = false) -> Column {
        Column(name, member: member, .quantity, type, nullable: nullable)
    }

    /// A list of strings (comma-joined in CSV, an array in JSON).
    public static func list(_ name: String, _ member: String, nullable: Bool = false) -> Column {
        Column(name, member: member, .list, .text, nullable: nullable)
    }

    /// A value the exporter computes, by ethereum-etl's rules.
    public static func computed(_ name: String, _ type: ColumnType, nullable: Bool = false) -> Column {
        Column(name, member: nil, .computed, type, nullable: nullable)
    }
}

/// How a column's text is made from its node member.
public enum ColumnRendering: String, Sendable, Equatable {
    /// As the node sent it.
    case text
    /// Lower-cased.
    case address
    /// Hex quantity to decimal text.
    case quantity
    /// A list of strings.
    case list
    /// A number as Python's `float` prints it (`l1_fee_scalar`).
    case float
    /// Computed by the exporter, not read from one member.
    case computed
}

/// What a column holds, for typed stores (warehouse tables, Parquet): each maps it to its own type.
public enum ColumnType: String, Sendable, Equatable, CaseIterable {
    /// Counts, indexes, gas, block numbers and unix timestamps: 64-bit integers.
    case integer
    /// Wei amounts and fees: uint256 in principle, all ether fits 38 digits.
    case wei
    /// Arbitrary uint256 (token amounts and supplies), which may need all 78 digits.
    case uint256
    case text
    case boolean
    /// A UTC time without zone.
    case timestamp
}
