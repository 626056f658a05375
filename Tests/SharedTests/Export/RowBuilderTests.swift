// Row building: mappers must set every column, by name, in the declared order.

import Testing
@testable import Shared

@Suite("row building")
struct RowBuilderTests {
    @Test("a mapper that skips, misnames or misorders a column fails the row, naming the column")
    func columnOrder() throws {
        var skipped = RowBuilder(.tokens, block: 7)
        skipped.text("address", "0x1")
        let short = try #require(throws: ExportError.self) { try skipped.row() }
        #expect(short.code == .rowShape && short.field == "symbol" && short.blockNumber == 7)

        var swapped = RowBuilder(.tokens, block: 7)
        for name in ["address", "name", "symbol", "decimals", "total_supply", "block_number"] { swapped.text(name, nil) }
        let misordered = try #require(throws: ExportError.self) { try swapped.row() }
        #expect(misordered.code == .rowShape && misordered.field == "name")

        var complete = RowBuilder(.tokens, block: 7)
        for name in EntityColumns.tokens.names { complete.text(name, nil) }
        #expect(try complete.row().values.count == EntityColumns.tokens.count)
    }
}
