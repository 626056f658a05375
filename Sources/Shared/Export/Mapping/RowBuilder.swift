// Fills one row by column name, converting hex as ethereum-etl does and naming bad fields.

/// Mappers name every column they set, in the table's order; each name is checked against
/// `EntityColumns` as it is set (a cheap string compare, no hashing), so a forgotten, misspelt
/// or misordered column fails the row instead of shifting values into the wrong column. A
/// column read from a node member must be set with the helper of its table rendering
/// (`quantity` for `.quantity`, …), and a malformed value is reported under that member's name:
/// the mapper and the table cannot disagree silently.
struct RowBuilder {
    let columns: EntityColumns
    /// The block the row comes from, for error messages.
    let block: UInt64?
    /// Where this row's source object is, e.g. `transactions[3].` (see `path`).
    let location: RowLocation
    private var values: [ExportValue] = []
    /// The first column set out of order, reported by `row()`.
    private var misplaced: (expected: String, got: String)?
    /// The first member column set with another rendering than the table's, reported by `row()`.
    private var misrendered: (column: String, table: ColumnRendering, mapper: ColumnRendering)?

    init(_ columns: EntityColumns, block: UInt64?, path: String = "") {
        self.init(columns, block: block, at: .text(path))
    }

    init(_ columns: EntityColumns, block: UInt64?, at location: RowLocation) {
        self.columns = columns
        self.block = block
        self.location = location
        values.reserveCapacity(columns.count)
    }

    /// Prefix of the JSON path of this row's source object, e.g. `transactions[3].`.
    var path: String { location.prefix }

    /// Sets the next column, which must be the one named.
    mutating func set(_ column: String, _ value: ExportValue) {
        let position = values.count
        if misplaced == nil, position >= columns.count || columns.names[position] != column {
            misplaced = (position < columns.count ? columns.names[position] : "<none>", column)
        }
        values.append(value)
    }

    /// A string passed through as the node sent it (hashes, data); nil is null.
    mutating func text(_ column: String, _ value: String?) {
        check(.text)
        set(column, value.map(ExportValue.text) ?? .null)
    }

    /// An address, lower-cased as ethereum-etl's `to_normalized_address`; nil is null.
    mutating func address(_ column: String, _ value: String?) {
        check(.address)
        set(column, value.map { .text($0.asciiLowercased) } ?? .null)
    }

    /// A hex quantity as decimal text (`hex_to_dec`); nil is null, malformed hex an error that
    /// names `field`, by default the column's node member.
    mutating func quantity(_ column: String, _ hex: String?, field: String? = nil) throws(ExportError) {
        check(.quantity)
        guard let hex else { set(column, .null); return }
        guard let decimal = HexText.decimal(hex) else {
            throw ExportError(.malformedHex, block: block, field: path + (field ?? member(column)), "'\(hex)' is not a hex quantity")
        }
        set(column, .number(decimal))
    }

    /// A list of strings; nil is null, empty is an empty list.
    mutating func texts(_ column: String, _ value: [String]?) {
        check(.list)
        set(column, value.map(ExportValue.texts) ?? .null)
    }

    /// Records a member column set with another helper than its table rendering.
    private mutating func check(_ rendering: ColumnRendering) {
        let position = values.count
        guard misrendered == nil, position < columns.count else { return }
        let column = columns.columns[position]
        if column.member != nil, column.rendering != rendering {
            misrendered = (column.name, column.rendering, rendering)
        }
    }

    /// The node member a column is read from, for error messages (the column name when computed).
    private func member(_ column: String) -> String {
        columns[column]?.member ?? column
    }

    /// Decimal text of a hex quantity, or an error naming block and field.
    static func decimal(_ hex: String, block: UInt64?, field: String) throws(ExportError) -> String {
        try HexText.requireDecimal(hex, block: block, field: field)
    }

    /// The finished row; fails when a column was skipped, misnamed or set out of order.
    func row() throws(ExportError) -> ExportRow {
        if let misplaced {
            throw ExportError(.rowShape, block: block, field: misplaced.got,
                              "\(columns.entity.rawValue) mapper set column '\(misplaced.got)' where '\(misplaced.expected)' belongs")
        }
        if let misrendered {
            throw ExportError(.rowShape, block: block, field: misrendered.column,
                              "\(columns.entity.rawValue) mapper writes column '\(misrendered.column)' as \(misrendered.mapper.rawValue) where the column table says \(misrendered.table.rawValue)")
        }
        guard values.count == columns.count else {
            throw ExportError(.rowShape, block: block, field: columns.names[values.count],
                              "\(columns.entity.rawValue) mapper did not set column '\(columns.names[values.count])'")
        }
        return ExportRow(columns.entity, values)
    }
}
