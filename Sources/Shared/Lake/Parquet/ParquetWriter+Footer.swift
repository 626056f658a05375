// The footer: FileMetaData with the schema, the row groups and the column orders.

extension ParquetWriter {
    /// `created_by`, in the "name version X (build Y)" form Arrow parses.
    static let createdBy = "blockfleet version 0.1.0 (build parquet)"

    /// The Thrift-encoded `FileMetaData`.
    func footerBytes(rowGroups: [ParquetRowGroupMetadata], rowCount: Int) -> [UInt8] {
        var writer = ParquetThriftWriter()
        writer.field(1, i32: ParquetFormat.version)
        writer.field(2, listOf: .structure, count: schema.columns.count + 1) { list in
            // The root: a group holding every column.
            list.element(struct: { root in
                root.field(4, string: "schema")
                root.field(5, i32: Int32(schema.columns.count))
            })
            for column in schema.columns {
                list.element(struct: { column.encodeSchemaElement(into: &$0) })
            }
        }
        writer.field(3, i64: Int64(rowCount))
        writer.field(4, listOf: .structure, count: rowGroups.count) { list in
            for rowGroup in rowGroups { list.element(struct: { rowGroup.encode(into: &$0) }) }
        }
        writer.field(6, string: Self.createdBy)
        // TypeDefinedOrder for every column: min_value/max_value follow each type's own order.
        writer.field(7, listOf: .structure, count: schema.columns.count) { list in
            for _ in schema.columns {
                list.element(struct: { order in order.field(1, struct: { _ in }) })
            }
        }
        writer.stop()
        return writer.bytes
    }
}
