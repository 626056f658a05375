// A small CSV reader for tests: parses expected and produced files the way Python's csv reads them.

/// A header and rows of text fields. Quoted fields may hold commas, doubled quotes and line breaks.
struct CSVTable: Equatable {
    var header: [String]
    var rows: [[String]]

    init(_ text: String) {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var atFieldStart = true
        var characters = Array(text.unicodeScalars)[...]
        while let scalar = characters.popFirst() {
            if quoted {
                if scalar == "\"" {
                    if characters.first == "\"" {
                        characters.removeFirst()
                        field.unicodeScalars.append("\"")
                    } else {
                        quoted = false
                    }
                } else {
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where atFieldStart:
                quoted = true
                atFieldStart = false
            case ",":
                record.append(field)
                field = ""
                atFieldStart = true
            case "\r":
                if characters.first == "\n" { characters.removeFirst() }
                fallthrough
            case "\n":
                record.append(field)
                records.append(record)
                record = []
                field = ""
                atFieldStart = true
            default:
                field.unicodeScalars.append(scalar)
                atFieldStart = false
            }
        }
        if !record.isEmpty || !field.isEmpty {
            record.append(field)
            records.append(record)
        }
        header = records.first ?? []
        rows = Array(records.dropFirst())
    }

    /// The rows reduced to the named columns (in the order given), sorted, to compare ignoring row order.
    func projected(onto columns: [String]) -> [[String]] {
        let indexes = columns.map { header.firstIndex(of: $0) }
        return rows.map { row in indexes.map { index in index.map { row[$0] } ?? "<missing column>" } }
            .sorted { $0.lexicographicallyPrecedes($1) }
    }
}
