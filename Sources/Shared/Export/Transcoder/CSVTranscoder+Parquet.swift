// The transcoder's Parquet cells: the same plans and spans as its CSV rows, typed by EntityParquetSchema.

/// How the transcoder fills one Parquet field: the column's cell plan and the field's conversion.
/// Made from the entity's `CellPlan`s and `EntityParquetSchema`, so the column table alone still
/// decides the columns (a field's `source` picks its plan; blocks' appended `block_timestamp`
/// reads the `timestamp` member again).
struct ParquetCellPlan<Field: SpanObjectField>: Sendable {
    let cell: CellPlan<Field>
    let conversion: EntityParquetField.Conversion
    let nullable: Bool

    /// The plan of every field of `schema`, or nil (the entity declined) without a cell plan or
    /// for a pairing the cells do not write (a boolean, a list or text in an INT64 column).
    static func make(_ plan: [CellPlan<Field>]?, _ schema: EntityParquetSchema) -> [ParquetCellPlan]? {
        guard let plan else { return nil }
        var made: [ParquetCellPlan] = []
        for field in schema.fields {
            let cell = plan[field.source]
            switch (cell, field.conversion) {
            case (_, .boolean): return nil
            case (.text, .text), (.address, .text), (.list, .text), (.float, .text), (.quantity, _): break
            case (.computed(.transactionCount), .int64), (.computed(.withdrawals), .text), (.computed(.blockTimestamp), .epochSeconds): break
            default: return nil
            }
            made.append(ParquetCellPlan(cell: cell, conversion: field.conversion, nullable: field.column.nullable))
        }
        return made
    }
}

extension CSVTranscoder {
    static let blockParquetPlan = ParquetCellPlan.make(blockPlan, .of(.blocks))
    static let transactionParquetPlan = ParquetCellPlan.make(transactionPlan, .of(.transactions))
    static let receiptParquetPlan = ParquetCellPlan.make(receiptPlan, .of(.receipts))
    static let logParquetPlan = ParquetCellPlan.make(logPlan, .of(.logs))

    /// Appends one row of `object` by `plan` to `cells`, the value `ParquetRowWriter` would append
    /// for the decoding path's row: text as the CSV cell's text unquoted, quantities as decimal
    /// text or INT64, lists comma-joined, nulls where the row has null. `computed` appends the
    /// computed cells.
    @inline(__always)
    static func appendCells<let capacity: Int, Field>(
        _ plan: [ParquetCellPlan<Field>], of object: SpanObject<capacity, Field>, lists: [JSONSpan],
        base: UnsafePointer<UInt8>, to cells: inout ParquetCells,
        computed: (ComputedCell, ParquetCellPlan<Field>, inout ParquetCells.Column) throws(Declined) -> Void
    ) throws(Declined) {
        for index in plan.indices {
            let field = plan[index]
            try appendCell(field, of: object, lists: lists, base: base, to: &cells.columns[index], computed: computed)
        }
        cells.endRows(1)
    }

    @inline(__always)
    private static func appendCell<let capacity: Int, Field>(
        _ field: ParquetCellPlan<Field>, of object: SpanObject<capacity, Field>, lists: [JSONSpan],
        base: UnsafePointer<UInt8>, to column: inout ParquetCells.Column,
        computed: (ComputedCell, ParquetCellPlan<Field>, inout ParquetCells.Column) throws(Declined) -> Void
    ) throws(Declined) {
        let nullable = field.nullable
        let span: JSONSpan
        switch field.cell {
        case .text(let member), .address(let member), .quantity(let member), .list(let member), .float(let member):
            span = object[member]
        case .computed(let cell):
            return try computed(cell, field, &column)
        }
        if span.isNull { return try column.appendNull(field.conversion, nullable: nullable) }
        switch field.cell {
        case .text:
            column.appendText(span.bytes(in: base), nullable: nullable)
        case .address:
            CSVCell.lowercased(span.bytes(in: base), prefix: false, to: &column.bytes)
            column.endText(nullable: nullable)
        case .quantity:
            let hex = span.bytes(in: base)
            switch field.conversion {
            case .text:
                guard HexText.appendDecimal(hex, to: &column.bytes) else { throw Declined("a quantity is not hex") }
                column.endText(nullable: nullable)
            case .int64:
                try column.appendQuantity(hex, seconds: false, nullable: nullable)
            case .epochSeconds:
                try column.appendQuantity(hex, seconds: true, nullable: nullable)
            case .boolean:
                throw Declined("a quantity in a boolean column")
            }
        case .list:
            // `ExportValue.texts(…).plainText`: the items joined with `,` (empty for none).
            let range = span.items
            for index in range {
                if index > range.lowerBound { column.bytes.append(UInt8(ascii: ",")) }
                column.bytes.append(contentsOf: lists[index].bytes(in: base))
            }
            column.endText(nullable: nullable)
        case .float:
            let value = ReceiptMapper.float(String(decoding: span.bytes(in: base), as: UTF8.self))
            try column.appendValue(value, conversion: field.conversion, nullable: nullable)
        case .computed:
            break
        }
    }

    // MARK: Entities

    /// `BlockMapper.row`'s Parquet values, by `blockParquetPlan`.
    mutating func appendBlockCells(_ parsed: BlockSpans.Parsed, base: UnsafePointer<UInt8>, number: UInt64) throws(Declined) {
        guard let plan = Self.blockParquetPlan else { throw Declined("the block columns have no Parquet cell plan") }
        try withCells(.blocks) { (cells) throws(Declined) in
            try Self.appendCells(plan, of: parsed.header, lists: [], base: base, to: &cells) { (cell, field, column) throws(Declined) in
                switch cell {
                case .transactionCount:
                    column.appendInteger(Int64(parsed.transactionCount), nullable: field.nullable)
                case .withdrawals:
                    let withdrawals: ExportValue
                    do {
                        withdrawals = try BlockMapper.withdrawalsValue(parsed.withdrawals, block: number)
                    } catch {
                        throw Declined("block \(number): a withdrawal is not hex")
                    }
                    try column.appendValue(withdrawals, conversion: field.conversion, nullable: field.nullable)
                case .blockTimestamp:
                    throw Declined("blocks have no block_timestamp cell")
                }
            }
        }
    }

    /// `TransactionMapper.row`'s Parquet values for each transaction of a full block.
    mutating func appendTransactionCells(_ block: BlockSpans.Parsed, base: UnsafePointer<UInt8>, timestamp: Int64) throws(Declined) {
        let transactions = block.transactions
        guard !transactions.isEmpty else { return }
        guard let plan = Self.transactionParquetPlan else { throw Declined("the transaction columns have no Parquet cell plan") }
        try withCells(.transactions) { (cells) throws(Declined) in
            for index in transactions.indices {
                try Self.appendCells(plan, of: transactions[index], lists: block.lists, base: base, to: &cells) { (cell, field, column) throws(Declined) in
                    guard case .blockTimestamp = cell, field.conversion == .epochSeconds else { throw Declined("transactions have no such computed cell") }
                    column.appendInteger(timestamp, nullable: field.nullable)
                }
            }
        }
    }

    /// `ReceiptMapper.row`'s Parquet values for each receipt.
    mutating func appendReceiptCells(_ parsed: ReceiptSpans.Parsed, base: UnsafePointer<UInt8>) throws(Declined) {
        guard let plan = Self.receiptParquetPlan else { throw Declined("the receipt columns have no Parquet cell plan") }
        try withCells(.receipts) { (cells) throws(Declined) in
            for index in parsed.receipts.indices {
                try Self.appendCells(plan, of: parsed.receipts[index], lists: parsed.lists, base: base, to: &cells, computed: Self.noComputedParquetCells)
            }
        }
    }

    /// `LogMapper.row`'s Parquet values for each log.
    mutating func appendLogCells(_ parsed: ReceiptSpans.Parsed, base: UnsafePointer<UInt8>) throws(Declined) {
        guard let plan = Self.logParquetPlan else { throw Declined("the log columns have no Parquet cell plan") }
        try withCells(.logs) { (cells) throws(Declined) in
            for index in parsed.logs.indices {
                try Self.appendCells(plan, of: parsed.logs[index], lists: parsed.lists, base: base, to: &cells, computed: Self.noComputedParquetCells)
            }
        }
    }

    static func noComputedParquetCells<Field>(_ cell: ComputedCell, _ field: ParquetCellPlan<Field>, _ column: inout ParquetCells.Column) throws(Declined) {
        throw Declined("no computed cell \(cell) here")
    }

    /// `TokenTransferMapper.row`'s Parquet values for each transfer, by the rule `forEachTransfer`
    /// applies: the columns are token_address, from_address, to_address, value (decimal text),
    /// transaction_hash, log_index, block_number, as `EntityColumns.tokenTransfers` orders them.
    mutating func appendTransferCells(_ parsed: ReceiptSpans.Parsed, base: UnsafePointer<UInt8>) throws(Declined) {
        let fields = EntityParquetSchema.of(.tokenTransfers).fields
        guard fields.map(\.column.name) == Self.transferParquetColumns,
              fields.map(\.conversion) == [.text, .text, .text, .text, .text, .int64, .int64]
        else { throw Declined("the token transfer columns are not the ones the Parquet cells write") }
        let nullable = fields.map(\.column.nullable)
        try withCells(.tokenTransfers) { (cells) throws(Declined) in
            try Self.forEachTransfer(parsed, base: base) { (log, from, to, value) throws(Declined) in
                let address = log[.address]
                guard !address.isNull else { throw Declined("a transfer log without address") }
                CSVCell.lowercased(address.bytes(in: base), prefix: false, to: &cells.columns[0].bytes)
                cells.columns[0].endText(nullable: nullable[0])
                CSVCell.lowercased(from, prefix: true, to: &cells.columns[1].bytes)
                cells.columns[1].endText(nullable: nullable[1])
                CSVCell.lowercased(to, prefix: true, to: &cells.columns[2].bytes)
                cells.columns[2].endText(nullable: nullable[2])
                guard HexText.appendDecimal(value, to: &cells.columns[3].bytes) else { throw Declined("a transfer's value is not hex") }
                cells.columns[3].endText(nullable: nullable[3])
                cells.columns[4].appendText(log[.transactionHash].bytes(in: base), nullable: nullable[4])
                try cells.columns[5].appendQuantity(log[.logIndex].bytes(in: base), seconds: false, nullable: nullable[5])
                try cells.columns[6].appendQuantity(log[.blockNumber].bytes(in: base), seconds: false, nullable: nullable[6])
                cells.endRows(1)
            }
        }
    }

    static let transferParquetColumns = ["token_address", "from_address", "to_address", "value", "transaction_hash", "log_index", "block_number"]
}

extension ParquetCells.Column {
    /// A rare cell through `ExportValue`, as `ParquetRowWriter` converts it: null, or its plain
    /// text (withdrawals as compact JSON, float scalars).
    mutating func appendValue(_ value: ExportValue, conversion: EntityParquetField.Conversion, nullable: Bool) throws(Declined) {
        guard let text = value.plainText else { return try appendNull(conversion, nullable: nullable) }
        guard conversion == .text else { throw Declined("a text value in a \(conversion) column") }
        bytes.append(contentsOf: text.utf8)
        endText(nullable: nullable)
    }
}
