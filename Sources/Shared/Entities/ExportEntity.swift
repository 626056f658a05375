import Foundation

// The entities ethereum-etl exports; their raw values are ethereum-etl's own names.

/// One kind of exported row, named as ethereum-etl names its output files.
public enum ExportEntity: String, CaseIterable, Sendable, Codable, Hashable {
    case blocks
    case transactions
    case receipts
    case logs
    case tokenTransfers = "token_transfers"
    case traces
    case contracts
    case tokens

    /// The entities a plan exports when none are named.
    public static let defaultSet: [ExportEntity] = [.blocks, .transactions, .receipts, .logs, .tokenTransfers]

    /// Parses a comma-separated list such as `blocks,logs`, rejecting unknown names by name.
    public static func parseList(_ text: String) throws(ExportEntityError) -> [ExportEntity] {
        let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !names.isEmpty else { throw ExportEntityError.empty }
        var result: [ExportEntity] = []
        for name in names {
            guard let entity = ExportEntity(rawValue: name) else {
                throw ExportEntityError.unknown(name)
            }
            if !result.contains(entity) { result.append(entity) }
        }
        // Canonical order, so the same set always has the same text (the queue's unique key uses it).
        return ExportEntity.allCases.filter(result.contains)
    }

    /// Comma-joined canonical text of a set of entities.
    public static func listText(_ entities: [ExportEntity]) -> String {
        ExportEntity.allCases.filter(entities.contains).map(\.rawValue).joined(separator: ",")
    }
}

/// A bad entity list, with the offending name.
public enum ExportEntityError: Error, CustomStringConvertible, Equatable {
    case empty
    case unknown(String)

    public var description: String {
        switch self {
        case .empty:
            return "entity list is empty; known entities: \(ExportEntity.allCases.map(\.rawValue).joined(separator: ", "))"
        case .unknown(let name):
            return "unknown entity '\(name)'; known entities: \(ExportEntity.allCases.map(\.rawValue).joined(separator: ", "))"
        }
    }
}
