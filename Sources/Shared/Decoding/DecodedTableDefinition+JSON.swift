// Reading a definition file as ethereum-etl-airflow writes it, checking its parts agree.

import Foundation

extension DecodedTableDefinition {
    /// Reads one definition file. `file` is the path shown in errors (relative to the folder).
    /// Throws `DecodedTableError` naming the file and the reason: bad JSON, an ABI that does not
    /// parse, a parser type that does not match the ABI entry, an unsupported contract filter, a
    /// schema field that matches no ABI input or whose shape (RECORD, REPEATED) does not match it.
    public init(file: String, data: Data) throws {
        func refuse(_ code: DecodedTableError.Code, _ reason: String) -> DecodedTableError {
            DecodedTableError(file: file, code, reason)
        }
        let json: DecodedTableDefinitionJSON
        do {
            json = try JSONDecoder().decode(DecodedTableDefinitionJSON.self, from: data)
        } catch let error as DecodingError {
            throw refuse(.unreadable, Self.describe(error))
        } catch {
            throw refuse(.unreadable, "not JSON: \(error)")
        }
        let parserType: ParserType
        switch json.parser.type ?? "log" {
        case "log": parserType = .log
        case "trace": parserType = .trace
        case let other: throw refuse(.invalidDefinition, "parser.type '\(other)' is neither 'log' nor 'trace'")
        }
        let entry: ABIEntry
        do {
            entry = try ABIEntry(json: json.parser.abi)
        } catch {
            throw refuse(.invalidDefinition, "parser.abi: \(error)")
        }
        let expected: ABIEntry.Kind = parserType == .log ? .event : .function
        guard entry.kind == expected else {
            throw refuse(.invalidDefinition, "parser.type '\(parserType.rawValue)' needs an ABI \(expected.rawValue), not a \(entry.kind.rawValue)")
        }
        for (key, name) in [("dataset_name", json.table.dataset_name), ("table_name", json.table.table_name)] {
            guard Self.isPlainName(name) else {
                throw refuse(.invalidDefinition, "table.\(key) '\(name)' is not a name of letters, digits and _")
            }
        }
        let contracts: ContractFilter
        do {
            contracts = try ContractFilter(parsing: json.parser.contract_address)
        } catch {
            throw refuse(.unsupportedContractFilter, "parser.contract_address: \(error)")
        }
        if entry.anonymous, contracts == .all {
            throw refuse(.invalidDefinition, "an anonymous event has no topic 0, so it needs a contract_address (null would try every log)")
        }
        let fixed = Set((parserType == .log ? DecodedTableColumn.logColumns : DecodedTableColumn.traceColumns).map(\.name))
        var seen = Set<String>()
        var fieldInputs: [Int] = []
        var fieldTypes: [DecodedColumnType] = []
        for field in json.table.schema {
            let lower = field.name.lowercased()
            guard !field.name.isEmpty else { throw refuse(.invalidDefinition, "table.schema has a field without a name") }
            guard !fixed.contains(lower) else {
                throw refuse(.invalidDefinition, "schema field '\(field.name)' clashes with the fixed column of the same name")
            }
            guard seen.insert(lower).inserted else { throw refuse(.invalidDefinition, "schema field '\(field.name)' appears twice") }
            guard let type = DecodedColumnType(bigQueryType: field.type, repeated: field.isRepeated) else {
                throw refuse(.invalidDefinition, "schema field '\(field.name)' has unsupported type \(field.type)")
            }
            fieldTypes.append(type)
            let input = entry.inputs.firstIndex { $0.name == field.name }
                ?? Self.uniqueIndex(entry.inputs.indices.filter { entry.inputs[$0].name.lowercased() == lower })
            guard let input else {
                throw refuse(.invalidDefinition, "schema field '\(field.name)' matches no input of \(entry.signature)")
            }
            let parameter = entry.inputs[input]
            if let mismatch = Self.shapeMismatch(field, parameter) {
                throw refuse(.invalidDefinition, "schema field '\(field.name)': \(mismatch)")
            }
            fieldInputs.append(input)
        }
        self.file = file
        self.dataset = json.table.dataset_name
        self.tableName = json.table.table_name
        self.tableDescription = json.table.table_description ?? ""
        self.parserType = parserType
        self.entry = entry
        self.contracts = contracts
        self.schema = json.table.schema
        self.fieldInputs = fieldInputs
        self.fieldTypes = fieldTypes
    }

    static func uniqueIndex(_ indices: [Int]) -> Int? {
        indices.count == 1 ? indices[0] : nil
    }

    static func isPlainName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 127 && name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }

    /// Why a RECORD or REPEATED field cannot hold the input, or nil when it can. An indexed
    /// array or tuple is only its topic hash, so it fits neither.
    static func shapeMismatch(_ field: DecodedTableField, _ parameter: ABIParameter) -> String? {
        let hashed = parameter.indexed && parameter.type.isHashedWhenIndexed
        var type = parameter.type
        if field.isRepeated {
            guard !hashed, case .array(let element, _) = type else {
                return "REPEATED needs an array input, \(parameter.name) is \(hashed ? "an indexed topic hash" : type.canonical)"
            }
            type = element
        }
        if field.isRecord {
            guard !hashed, case .tuple = type else {
                return "RECORD needs a tuple input, \(parameter.name) is \(hashed ? "an indexed topic hash" : type.canonical)"
            }
        }
        return nil
    }

    /// A one-line reason for a JSON decoding failure, with the key path.
    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let prefix = path(context.codingPath)
            return "missing '\(prefix.isEmpty ? key.stringValue : prefix + "." + key.stringValue)'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "'\(path(context.codingPath))': \(context.debugDescription)"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not JSON" : "'\(path(context.codingPath))': \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
