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
