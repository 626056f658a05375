// One field of a definition's `table.schema`: a BigQuery column (RECORD and REPEATED included).

/// A schema field as the definition declares it. Only the top level becomes columns; a RECORD's
/// `fields` describe the JSON object the column holds.
public struct DecodedTableField: Hashable, Sendable, Decodable {
    public var name: String
    /// The BigQuery type: STRING, INT64, NUMERIC, BIGNUMERIC, FLOAT64, BOOL, TIMESTAMP, RECORD…
    public var type: String
    /// NULLABLE (the default), REQUIRED or REPEATED.
    public var mode: String?
    public var description: String?
    /// Members of a RECORD.
    public var fields: [DecodedTableField]?

    public init(name: String, type: String, mode: String? = nil, description: String? = nil, fields: [DecodedTableField]? = nil) {
        self.name = name
        self.type = type
        self.mode = mode
        self.description = description
        self.fields = fields
    }

    public var isRepeated: Bool { mode?.uppercased() == "REPEATED" }

    public var isRecord: Bool { ["RECORD", "STRUCT"].contains(type.uppercased()) }
}
