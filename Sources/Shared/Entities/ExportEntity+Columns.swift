// Each entity's column table, reachable from the entity itself.

extension ExportEntity {
    /// The columns ethereum-etl 2.4.x writes for this entity, in order.
    public var columns: EntityColumns { EntityColumns.of(self) }
}
