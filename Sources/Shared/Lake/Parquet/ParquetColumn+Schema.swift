// A column as a footer `SchemaElement`, with its logical and converted types.

extension ParquetColumn {
    /// The leaf `SchemaElement`: physical type, repetition, name, converted type (for old
    /// readers) and logical type.
    func encodeSchemaElement(into writer: inout ParquetThriftWriter) {
        writer.field(1, i32: type.physicalType.rawValue)
        if type.fixedLength > 0 { writer.field(2, i32: Int32(type.fixedLength)) }
        writer.field(3, i32: (nullable ? ParquetFormat.Repetition.optional : .required).rawValue)
        writer.field(4, string: name)
        switch type {
        case .boolean, .bytes:
            break
        case .int64:
            writer.field(6, i32: ParquetFormat.ConvertedType.int64.rawValue)
            writer.field(10, struct: { logical in
                logical.field(ParquetFormat.LogicalTypeField.integer.rawValue, struct: { integer in
                    integer.field(1, i8: 64)
                    integer.field(2, bool: true)
                })
            })
        case .timestamp(let unit):
            let converted: ParquetFormat.ConvertedType = unit == .milliseconds ? .timestampMillis : .timestampMicros
            writer.field(6, i32: converted.rawValue)
            writer.field(10, struct: { logical in
                logical.field(ParquetFormat.LogicalTypeField.timestamp.rawValue, struct: { timestamp in
                    timestamp.field(1, bool: true)
                    timestamp.field(2, struct: { timeUnit in
                        let field: ParquetFormat.TimeUnitField = unit == .milliseconds ? .millis : .micros
                        timeUnit.field(field.rawValue, struct: { _ in })
                    })
                })
            })
        case .decimal(let precision, let scale):
            writer.field(6, i32: ParquetFormat.ConvertedType.decimal.rawValue)
            writer.field(7, i32: Int32(scale))
            writer.field(8, i32: Int32(precision))
            writer.field(10, struct: { logical in
                logical.field(ParquetFormat.LogicalTypeField.decimal.rawValue, struct: { decimal in
                    decimal.field(1, i32: Int32(scale))
                    decimal.field(2, i32: Int32(precision))
                })
            })
        case .string:
            writer.field(6, i32: ParquetFormat.ConvertedType.utf8.rawValue)
            writer.field(10, struct: { logical in
                logical.field(ParquetFormat.LogicalTypeField.string.rawValue, struct: { _ in })
            })
        }
    }
}
