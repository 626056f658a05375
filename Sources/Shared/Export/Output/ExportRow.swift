// One exported row: the values of an entity's columns, in column order.

/// A row of one entity, with exactly one value per column of `EntityColumns.of(entity)`.
public struct ExportRow: Sendable, Equatable {
    public var entity: ExportEntity
    public var values: [ExportValue]

    public init(_ entity: ExportEntity, _ values: [ExportValue]) {
        self.entity = entity
        self.values = values
    }

    /// The value of a named column, or nil when the entity has no such column.
    public subscript(column: String) -> ExportValue? {
        guard let index = EntityColumns.of(entity).index(of: column) else { return nil }
        return values[index]
    }
}
