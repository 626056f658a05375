// Contracts: one row per contract created in the block, as ethereum-etl's `contract_to_dict`.

/// The contracts found in the block's successful create traces.
public struct ContractMapper: EntityMapper {
    public let entity = ExportEntity.contracts

    public init() {}

    public func rows(from bundle: BlockBundle) throws(ExportError) -> [ExportRow] {
        let number = try bundle.number()
        guard let contracts = bundle.contracts else {
            throw ExportError(.missingField, block: number, field: "contracts", "traces were not fetched for this block")
        }
        return try contracts.map { contract throws(ExportError) in try row(contract, block: number) }
    }

    public func row(_ contract: ContractRecord, block: UInt64?) throws(ExportError) -> ExportRow {
        var row = RowBuilder(.contracts, block: block)
        row.text("address", contract.address)
        row.text("bytecode", contract.bytecode)
        row.texts("function_sighashes", contract.functionSighashes)
        row.set("is_erc20", .bool(contract.isERC20))
        row.set("is_erc721", .bool(contract.isERC721))
        row.set("block_number", contract.blockNumber.map { .number(String($0)) } ?? .null)
        return try row.row()
    }
}
