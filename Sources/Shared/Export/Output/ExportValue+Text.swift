// A cell as plain text, for typed formats that store text columns (Parquet).

extension ExportValue {
    /// The CSV field's text before quoting, or nil for null: lists comma-joined (ethereum-etl's
    /// `join_multivalued`), objects as compact JSON joined with `,`, booleans `True`/`False`.
    /// An empty list is "" (the CSV cell), not null.
    var plainText: String? {
        switch self {
        case .null: return nil
        case .text(let text), .number(let text): return text
        case .bool(let flag): return flag ? "True" : "False"
        case .texts(let list), .numbers(let list): return list.joined(separator: ",")
        case .objects(let objects):
            var joined: [UInt8] = []
            for (index, object) in objects.enumerated() {
                if index > 0 { joined.append(UInt8(ascii: ",")) }
                Self.appendJSONObject(object, to: &joined, compact: true)
            }
            return String(decoding: joined, as: UTF8.self)
        }
    }
}
