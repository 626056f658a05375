// The shape every entity's mapper has, so traces, contracts and tokens slot in like blocks do.

/// Turns one block's fetched data into the rows of one entity, in ethereum-etl's value text.
public protocol EntityMapper: Sendable {
    /// The entity whose rows this mapper produces (its columns are `EntityColumns.of(entity)`).
    var entity: ExportEntity { get }
    /// The rows of this entity for one block, in the order the node listed them.
    func rows(from bundle: BlockBundle) throws(ExportError) -> [ExportRow]
}
