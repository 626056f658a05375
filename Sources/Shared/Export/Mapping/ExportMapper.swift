// The registry of entity mappers: one call maps a block bundle into rows of a chosen entity.

/// Dispatches to one `EntityMapper` per entity.
public struct ExportMapper: Sendable {
    private var mappers: [ExportEntity: any EntityMapper]

    public init(_ mappers: [any EntityMapper]) {
        var table: [ExportEntity: any EntityMapper] = [:]
        for mapper in mappers { table[mapper.entity] = mapper }
        self.mappers = table
    }

    /// All eight entities.
    public static let standard = ExportMapper([
        BlockMapper(), TransactionMapper(), ReceiptMapper(), LogMapper(), TokenTransferMapper(),
        TraceMapper(), ContractMapper(), TokenMapper(),
    ])

    /// Whether traces are mapped by `TraceMapper`, whose rows `TraceMapper.encode` writes
    /// without mapping them (another mapper's rows go through the mapper).
    public var mapsTracesAsStandard: Bool { mappers[.traces] is TraceMapper }

    /// The entities this mapper can produce.
    public var entities: [ExportEntity] { ExportEntity.allCases.filter { mappers[$0] != nil } }

    /// Whether the entity needs receipts fetched (everything derived from receipts and logs).
    public static func needsReceipts(_ entity: ExportEntity) -> Bool {
        [.receipts, .logs, .tokenTransfers].contains(entity)
    }

    /// Whether the entity needs traces fetched: contracts come from create traces, tokens from contracts.
    public static func needsTraces(_ entity: ExportEntity) -> Bool {
        [.traces, .contracts, .tokens].contains(entity)
    }

    /// The rows of one entity for one block.
    public func rows(_ entity: ExportEntity, from bundle: BlockBundle) throws(ExportError) -> [ExportRow] {
        guard let mapper = mappers[entity] else {
            throw ExportError(.unsupportedEntity, block: try? bundle.number(), "no mapper for entity '\(entity.rawValue)' yet")
        }
        return try mapper.rows(from: bundle)
    }
}
