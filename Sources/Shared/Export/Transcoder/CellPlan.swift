// The transcoder's cells of one entity, planned once from the column table.

/// How the transcoder writes one column: a span member with its table rendering, or a value the
/// row writer computes. A row is a loop over its entity's plan, so the column table alone decides
/// which columns there are and in what order.
enum CellPlan<Field: SpanObjectField>: Sendable {
    case text(Field)
    case address(Field)
    case quantity(Field)
    case list(Field)
    case float(Field)
    case computed(ComputedCell)

    /// The plan of `columns`, or nil when a column names a member `Field` does not read or a
    /// computed column missing from `computed`: the transcoder then declines that entity's
    /// windows, and the decoding path writes them.
    static func make(_ columns: EntityColumns, computed: [String: ComputedCell] = [:]) -> [CellPlan]? {
        var plan: [CellPlan] = []
        for column in columns.columns {
            guard let member = column.member else {
                guard let cell = computed[column.name] else { return nil }
                plan.append(.computed(cell))
                continue
            }
            guard let field = field(named: member) else { return nil }
            switch column.rendering {
            case .text: plan.append(.text(field))
            case .address: plan.append(.address(field))
            case .quantity: plan.append(.quantity(field))
            case .list: plan.append(.list(field))
            case .float: plan.append(.float(field))
            case .computed: return nil
            }
        }
        return plan
    }

    /// The member of `Field` with this JSON name.
    static func field(named name: String) -> Field? {
        for raw in 0..<Field.count {
            guard let field = Field(rawValue: raw) else { continue }
            let fieldName = field.name
            let matches = fieldName.withUTF8Buffer { buffer in buffer.elementsEqual(name.utf8) }
            if matches { return field }
        }
        return nil
    }
}

/// Cells the row writers compute rather than copy from one member.
enum ComputedCell: Sendable {
    /// A block's number of transactions.
    case transactionCount
    /// A block's withdrawals, as ethereum-etl's `parse_withdrawals` objects.
    case withdrawals
    /// A transaction's block timestamp.
    case blockTimestamp
}

extension CSVTranscoder {
    /// The plans of the transcoded entities; nil (declined) when the table and the span members
    /// disagree, which `ColumnTableTests` rules out.
    static let blockPlan = CellPlan<BlockField>.make(.blocks, computed: [
        "transaction_count": .transactionCount, "withdrawals": .withdrawals,
    ])
    static let transactionPlan = CellPlan<TransactionField>.make(.transactions, computed: ["block_timestamp": .blockTimestamp])
    static let receiptPlan = CellPlan<ReceiptField>.make(.receipts)
    static let logPlan = CellPlan<LogField>.make(.logs)

    /// JSON keys of the transcoded entities, by `JSONCell.keys`.
    static let blockKeys = JSONCell.keys(.blocks)
    static let transactionKeys = JSONCell.keys(.transactions)
    static let receiptKeys = JSONCell.keys(.receipts)
    static let logKeys = JSONCell.keys(.logs)
    static let transferKeys = JSONCell.keys(.tokenTransfers)

    /// Writes one row of `object` by `plan`, as CSV or (with `keys`) as a JSON line; `computed`
    /// writes the computed cells.
    @inline(__always)
    static func writeRow<let capacity: Int, Field>(
        _ plan: [CellPlan<Field>], of object: SpanObject<capacity, Field>, lists: [JSONSpan],
        base: UnsafePointer<UInt8>, keys: [[UInt8]]?, to out: inout [UInt8],
        computed: (ComputedCell, inout [UInt8]) throws(Declined) -> Void
    ) throws(Declined) {
        if let keys {
            return try writeJSONRow(plan, of: object, lists: lists, base: base, keys: keys, to: &out, computed: computed)
        }
        for index in plan.indices {
            if index > 0 { CSVCell.separator(&out) }
            switch plan[index] {
            case .text(let field):
                CSVCell.text(object[field], in: base, to: &out)
            case .address(let field):
                CSVCell.address(object[field], in: base, to: &out)
            case .quantity(let field):
                try CSVCell.quantity(object[field], in: base, to: &out)
            case .list(let field):
                CSVCell.list(object[field], items: lists, in: base, to: &out)
            case .float(let field):
                let span = object[field]
                if !span.isNull {
                    CSVCell.value(ReceiptMapper.float(String(decoding: span.bytes(in: base), as: UTF8.self)), to: &out)
                }
            case .computed(let cell):
                try computed(cell, &out)
            }
        }
        CSVCell.endRow(&out)
    }

    /// `writeRow`'s JSON line: `{"name": value, …}` with JSONLinesRowWriter's separators.
    @inline(__always)
    static func writeJSONRow<let capacity: Int, Field>(
        _ plan: [CellPlan<Field>], of object: SpanObject<capacity, Field>, lists: [JSONSpan],
        base: UnsafePointer<UInt8>, keys: [[UInt8]], to out: inout [UInt8],
        computed: (ComputedCell, inout [UInt8]) throws(Declined) -> Void
    ) throws(Declined) {
        for index in plan.indices {
            out.append(contentsOf: keys[index])
            switch plan[index] {
            case .text(let field):
                JSONCell.text(object[field], in: base, to: &out)
            case .address(let field):
                JSONCell.address(object[field], in: base, to: &out)
            case .quantity(let field):
                try JSONCell.quantity(object[field], in: base, to: &out)
            case .list(let field):
                JSONCell.list(object[field], items: lists, in: base, to: &out)
            case .float(let field):
                let span = object[field]
                ReceiptMapper.float(span.isNull ? nil : String(decoding: span.bytes(in: base), as: UTF8.self)).appendJSON(to: &out, compact: false)
            case .computed(let cell):
                try computed(cell, &out)
            }
        }
        JSONCell.endRow(&out)
    }
}
