// Decoding one log (or call) once for every definition that would decode it the same way.

/// The cells each distinct (parser type, ABI layout, field types, field inputs) decodes from the
/// current log or call. Definitions sharing them — `Transfer`, `Approval` and friends enabled
/// in many datasets, the same event under several contract filters — then decode it once, and a
/// log that does not fit is found not to fit once. `reset()` before the next log.
struct DecodedCellsMemo {
    /// Each definition's group (positions as in the array given to `init`).
    let groups: [Int]
    private var results: [Result<[String], any Error>?]
    private var touched: [Int] = []

    /// What the cells depend on. Not the inputs' names (`src`/`dst`/`wad` or `from`/`to`/`value`
    /// decode alike): the types, which are indexed, tuple component names (JSON keys), and which
    /// input each field holds as which column type.
    private struct Key: Hashable {
        let parserType: DecodedTableDefinition.ParserType
        let signature: String
        let anonymous: Bool
        let indexed: [Bool]
        let componentNames: [String]
        let fieldTypes: [DecodedColumnType]
        let fieldInputs: [Int]
    }

    init(_ definitions: [DecodedTableDefinition]) {
        var ids: [Key: Int] = [:]
        var groups: [Int] = []
        for definition in definitions {
            let entry = definition.entry
            let key = Key(parserType: definition.parserType, signature: entry.signature, anonymous: entry.anonymous,
                          indexed: entry.inputs.map(\.indexed), componentNames: entry.inputs.map { DecodedTableDefinition.componentNames($0.type) },
                          fieldTypes: definition.fieldTypes, fieldInputs: definition.fieldInputs)
            if let id = ids[key] {
                groups.append(id)
            } else {
                groups.append(ids.count)
                ids[key] = ids.count
            }
        }
        self.groups = groups
        results = Array(repeating: nil, count: ids.count)
    }

    /// How many distinct decodings the definitions need.
    var groupCount: Int { results.count }

    /// The cells of definition `position` for the current row: decoded by `decode` the first time
    /// its group asks, remembered (cells or error) for the rest of the row.
    mutating func cells(_ position: Int, _ decode: () throws -> [String]) -> Result<[String], any Error> {
        let group = groups[position]
        if let known = results[group] { return known }
        let result = Result { try decode() }
        results[group] = result
        touched.append(group)
        return result
    }

    /// Forgets the current row's results.
    mutating func reset() {
        for group in touched { results[group] = nil }
        touched.removeAll(keepingCapacity: true)
    }
}
