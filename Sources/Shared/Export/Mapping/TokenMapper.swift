// Tokens: one row per ERC20/ERC721 contract created in the block, as ethereum-etl's `token_to_dict`.

/// The metadata read for the block's token contracts.
public struct TokenMapper: EntityMapper {
    public let entity = ExportEntity.tokens

    public init() {}

    public func rows(from bundle: BlockBundle) throws(ExportError) -> [ExportRow] {
        let number = try bundle.number()
        guard let tokens = bundle.tokens else {
            throw ExportError(.missingField, block: number, field: "tokens", "token metadata was not fetched for this block")
        }
        return try tokens.map { token throws(ExportError) in try row(token, block: number) }
    }

    public func row(_ token: TokenRecord, block: UInt64?) throws(ExportError) -> ExportRow {
        var row = RowBuilder(.tokens, block: block)
        row.text("address", token.address)
        row.text("symbol", token.symbol)
        row.text("name", token.name)
        row.set("decimals", token.decimals.map(ExportValue.number) ?? .null)
        row.set("total_supply", token.totalSupply.map(ExportValue.number) ?? .null)
        row.set("block_number", token.blockNumber.map { .number(String($0)) } ?? .null)
        return try row.row()
    }
}
