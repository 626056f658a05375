// The column tables: one per entity, with 2.4.x's EIP-4844 columns last.

import Testing
@testable import Shared

@Suite("column tables")
struct EntityColumnsTests {
    @Test("every entity has a table, and 2.4.x's EIP-4844 columns close the blocks, transactions and receipts tables")
    func tables() {
        for entity in ExportEntity.allCases {
            #expect(entity.columns.entity == entity)
            #expect(Set(entity.columns.names).count == entity.columns.count, "no duplicate column in \(entity)")
        }
        #expect(Array(ExportEntity.blocks.columns.names.suffix(4)) == ["withdrawals_root", "withdrawals", "blob_gas_used", "excess_blob_gas"])
        #expect(Array(ExportEntity.transactions.columns.names.suffix(2)) == ["max_fee_per_blob_gas", "blob_versioned_hashes"])
        #expect(Array(ExportEntity.receipts.columns.names.suffix(2)) == ["blob_gas_price", "blob_gas_used"])
    }
}

/// Every consumer of the column table agrees with it: writers, transcoder, mappers, warehouse.
@Suite("the column table and its consumers")
struct ColumnTableTests {
    @Test("CSV headers and JSON keys are the table's names, in its order, for every entity")
    func writersFollowTheTable() throws {
        for entity in ExportEntity.allCases {
            let columns = entity.columns
            let row = ExportRow(entity, Array(repeating: ExportValue.null, count: columns.count))
            let csv = try RowWriterTests.render([row], columns, .csv)
            #expect(csv.components(separatedBy: "\r\n")[0] == columns.names.joined(separator: ","))
            let json = try RowWriterTests.render([row], columns, .json)
            let keys = json.split(separator: "\"").enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
            #expect(keys == columns.names, "JSON keys of \(entity)")
        }
    }

    @Test("the transcoder's plans write every column of blocks, transactions, receipts and logs from the member the table names")
    func transcoderPlansFollowTheTable() throws {
        func check<Field: SpanObjectField>(_ plan: [CellPlan<Field>]?, _ columns: EntityColumns) throws {
            let plan = try #require(plan, "no plan for \(columns.entity)")
            #expect(plan.count == columns.count)
            for (cell, column) in zip(plan, columns.columns) {
                let planned: (ColumnRendering, Field?) = switch cell {
                case .text(let field): (.text, field)
                case .address(let field): (.address, field)
                case .quantity(let field): (.quantity, field)
                case .list(let field): (.list, field)
                case .float(let field): (.float, field)
                case .computed: (.computed, nil)
                }
                #expect(planned.0 == column.rendering, "\(columns.entity).\(column.name)")
                #expect(planned.1.map { "\($0.name)" } == column.member, "\(columns.entity).\(column.name)")
            }
        }
        try check(CSVTranscoder.blockPlan, .blocks)
        try check(CSVTranscoder.transactionPlan, .transactions)
        try check(CSVTranscoder.receiptPlan, .receipts)
        try check(CSVTranscoder.logPlan, .logs)
    }

    @Test("each span object's storage holds all its fields (a new member raises `count`; the capacity must follow)")
    func spanObjectsHoldEveryField() {
        #expect(BlockObject.holdsEveryField, "BlockObject: capacity below BlockField.count")
        #expect(TransactionObject.holdsEveryField, "TransactionObject: capacity below TransactionField.count")
        #expect(ReceiptObject.holdsEveryField, "ReceiptObject: capacity below ReceiptField.count")
        #expect(LogObject.holdsEveryField, "LogObject: capacity below LogField.count")
    }

    @Test("a column whose member the span reader does not read leaves the entity to the decoding path")
    func unknownMemberHasNoPlan() {
        let withNewColumn = EntityColumns(entity: .transactions, EntityColumns.transactions.columns + [.quantity("not_read", "notAMember")])
        #expect(CellPlan<TransactionField>.make(withNewColumn, computed: ["block_timestamp": .blockTimestamp]) == nil)
        #expect(CellPlan<TransactionField>.make(.transactions) == nil, "block_timestamp is computed by the writer, so it must be named")
    }

    @Test("a mapper that writes a member column with another rendering than the table's fails the row")
    func mapperRenderingIsChecked() throws {
        var row = RowBuilder(.transactions, block: 9)
        row.text("hash", "0xaa")
        row.text("nonce", "0x1")  // the table says quantity
        let error = try #require(throws: ExportError.self) { try row.row() }
        #expect(error.code == .rowShape && error.field == "nonce")
        #expect(error.description.contains("quantity"))
    }

    @Test("a malformed quantity is reported under the node member the table names")
    func quantityErrorNamesTheMember() throws {
        var row = RowBuilder(.transactions, block: 9)
        row.text("hash", "0xaa")
        try row.quantity("nonce", "0x1")
        row.text("block_hash", "0xbb")
        let error = try #require(throws: ExportError.self) { try row.quantity("block_number", "0xzz") }
        #expect(error.field == "blockNumber" && error.code == .malformedHex)
    }

    @Test("warehouse tables and their DDL take names, order and types from the table")
    func warehouseFollowsTheTable() {
        for entity in ExportEntity.allCases {
            let table = WarehouseTable.of(entity)
            #expect(table.columnNames == entity.columns.names)
            #expect(table.columns.map(\.type) == entity.columns.columns.map(\.type))
            let ddl = PostgresWarehouseSQL.createTable(table, schema: "ethereum")
            let lines = ddl.split(separator: "\n").dropFirst().dropLast()
            #expect(lines.count == entity.columns.count)
            for (line, column) in zip(lines, entity.columns.columns) {
                #expect(line.hasPrefix("    \"\(column.name)\" \(PostgresWarehouseSQL.type(column.type))"), "\(line)")
            }
        }
    }

    @Test("member columns name a member, computed ones none, and every nullable member column is optional in the span reader")
    func membersAndNullability() throws {
        for entity in ExportEntity.allCases {
            for column in entity.columns.columns {
                #expect((column.member == nil) == (column.rendering == .computed), "\(entity).\(column.name)")
            }
        }
        func optionalMembers<Field: SpanObjectField>(_ columns: EntityColumns, _ type: Field.Type) {
            for column in columns.columns {
                guard let member = column.member, let field = CellPlan<Field>.field(named: member) else { continue }
                #expect(field.isOptional == column.isNullable,
                        "\(columns.entity).\(column.name): nullable \(column.isNullable), optional member \(field.isOptional)")
            }
        }
        optionalMembers(.blocks, BlockField.self)
        optionalMembers(.transactions, TransactionField.self)
        optionalMembers(.receipts, ReceiptField.self)
        optionalMembers(.logs, LogField.self)
    }
}
