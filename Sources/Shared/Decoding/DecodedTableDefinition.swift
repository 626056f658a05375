// One ethereum-etl-airflow table definition: which logs or calls to decode, and into which columns.

/// A decoded table, read from `<dataset>/<table>.json` as ethereum-etl-airflow writes it.
public struct DecodedTableDefinition: Hashable, Sendable {
    public enum ParserType: String, Hashable, Sendable {
        /// Events, matched on topic 0.
        case log
        /// Function calls, matched on the 4-byte selector of a trace's input.
        case trace
    }

    /// The file, relative to the definitions folder.
    public let file: String
    /// `table.dataset_name`: the warehouse schema, and the scope of `ref('…')`.
    public let dataset: String
    /// `table.table_name`, as written (refs use it).
    public let tableName: String
    public let tableDescription: String
    public let parserType: ParserType
    public let entry: ABIEntry
    /// The catalog replaces selects over literal views (`view_*.sql`) by their addresses.
    public internal(set) var contracts: ContractFilter
    public let schema: [DecodedTableField]
    /// For each schema field, the index of the ABI input it holds.
    public let fieldInputs: [Int]

    /// The warehouse schema: the dataset name lower-cased.
    public var warehouseSchema: String { dataset.lowercased() }

    /// The warehouse table: the table name lower-cased (`all_event_transfersingle`).
    public var warehouseTable: String { tableName.lowercased() }

    /// Tables of the same dataset the contract filter reads.
    public var dependencies: [String] { contracts.dependencies }

    /// The fixed columns of the parser type, then one per schema field.
    public var columns: [DecodedTableColumn] {
        let fixed = parserType == .log ? DecodedTableColumn.logColumns : DecodedTableColumn.traceColumns
        return fixed + zip(schema, fieldTypes).map { DecodedTableColumn(name: $0.name, type: $1, isFixed: false) }
    }

    /// The column type of each schema field (read once with the file: every decoded row uses them).
    public let fieldTypes: [DecodedColumnType]

    /// Hex Keccak of everything that shapes the table's rows (ABI, schema, filter): when it
    /// changes, ranges decoded before must be decoded again.
    public var fingerprint: String {
        var text = "\(parserType.rawValue)|\(entry.signature)|\(entry.anonymous)|"
        text += entry.inputs.map { "\($0.name):\($0.type.canonical):\($0.indexed)\(Self.componentNames($0.type))" }.joined(separator: ",")
        text += "|" + zip(schema, fieldTypes).map { "\($0.name):\($1.rawValue)" }.joined(separator: ",")
        text += "|\(contracts)"
        return ABIHex.text(Keccak256.hash(text))
    }

    static func componentNames(_ type: ABIType) -> String {
        switch type {
        case .tuple(let members): "{" + members.map { $0.name + Self.componentNames($0.type) }.joined(separator: ",") + "}"
        case .array(let element, _): Self.componentNames(element)
        default: ""
        }
    }

    /// The schema fields' cells for decoded input values (in ABI order): one text per field, as
    /// `DecodedColumnType.cell` writes it. Throws `ABIDecodeError` when a value does not fit its column.
    public func cells(_ values: [ABIValue]) throws -> [String] {
        guard values.count == entry.inputs.count else {
            throw ABIDecodeError.doesNotFit("\(values.count) values for \(entry.inputs.count) inputs of \(entry.signature)")
        }
        var cells: [String] = []
        cells.reserveCapacity(schema.count)
        for index in schema.indices {
            cells.append(try fieldTypes[index].cell(values[fieldInputs[index]], column: schema[index].name))
        }
        return cells
    }

    /// Decodes a log into the schema fields' cells (a `log` definition).
    public func decodeLog(topics: [[UInt8]], data: [UInt8]) throws -> [String] {
        try cells(entry.decodeLog(topics: topics, data: data))
    }

    /// Decodes a trace's input into the schema fields' cells (a `trace` definition).
    public func decodeCall(input: [UInt8]) throws -> [String] {
        try cells(entry.decodeCall(input: input))
    }
}
