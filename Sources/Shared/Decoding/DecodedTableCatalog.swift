// Every definition of a folder tree: accepted ones in dependency order, refused ones with reasons.

import Foundation

/// The definitions of a folder (`BLOCKFLEET_PARSE_DIR`), read as they are. A file that cannot be
/// used is refused with its reason; the rest load. References (`ref('T')`) are resolved within
/// the dataset: a definition whose reference names no accepted table, a column that table lacks,
/// or a cycle, is refused too (and so are those that depend on it).
public struct DecodedTableCatalog: Sendable {
    /// Accepted definitions, each after the tables it reads (then by dataset and table name).
    public let definitions: [DecodedTableDefinition]
    /// Refused files, sorted by file.
    public let refusals: [DecodedTableError]
    /// Files that are not `.json` definitions (e.g. ethereum-etl-airflow's `view_*.sql`), skipped.
    public let skippedFiles: [String]

    /// Accepted definitions over all definition files (1 when there are none).
    public var acceptedShare: Double {
        let total = definitions.count + refusals.count
        return total == 0 ? 1 : Double(definitions.count) / Double(total)
    }

    /// Loads every `*.json` under `directory` (any depth; dataset and table come from the file's
    /// `table` section, not its path).
    public static func load(directory: URL) throws -> DecodedTableCatalog {
        let root = directory.standardizedFileURL
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else {
            throw DecodedTableError(file: directory.path, .unreadable, "not a readable folder")
        }
        var files: [(path: String, data: Data?)] = []
        var skipped: [String] = []
        for case let url as URL in enumerator {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            let full = url.standardizedFileURL.path
            let relative = full.hasPrefix(root.path + "/") ? String(full.dropFirst(root.path.count + 1)) : full
            if url.pathExtension.lowercased() == "json" {
                files.append((relative, try? Data(contentsOf: url)))
            } else if !url.lastPathComponent.hasPrefix(".") {
                skipped.append(relative)
            }
        }
        return DecodedTableCatalog(files: files, skippedFiles: skipped)
    }

    /// Builds the catalog from file contents (nil data: the file could not be read).
    public init(files: [(path: String, data: Data?)], skippedFiles: [String] = []) {
        var refusals: [DecodedTableError] = []
        var parsed: [DecodedTableDefinition] = []
        for file in files.sorted(by: { $0.path < $1.path }) {
            guard let data = file.data else {
                refusals.append(DecodedTableError(file: file.path, .unreadable, "could not be read"))
                continue
            }
            do {
                parsed.append(try DecodedTableDefinition(file: file.path, data: data))
            } catch let error as DecodedTableError {
                refusals.append(error)
            } catch {
                refusals.append(DecodedTableError(file: file.path, .unreadable, "\(error)"))
            }
        }
        // One definition per (dataset, table): later files (by path) are refused.
        var byKey: [String: DecodedTableDefinition] = [:]
        var unique: [DecodedTableDefinition] = []
        for definition in parsed {
            let key = definition.warehouseSchema + "." + definition.warehouseTable
            if let first = byKey[key] {
                refusals.append(DecodedTableError(file: definition.file, .duplicate, "table \(definition.dataset).\(definition.tableName) is already defined by \(first.file)"))
            } else {
                byKey[key] = definition
                unique.append(definition)
            }
        }
        let (ordered, unresolved) = Self.resolve(unique)
        self.definitions = ordered
        self.refusals = (refusals + unresolved).sorted { $0.file < $1.file }
        self.skippedFiles = skippedFiles.sorted()
    }

    /// The accepted definition of `table` in `dataset` (names compared case-insensitively).
    public func definition(dataset: String, table: String) -> DecodedTableDefinition? {
        definitions.first { $0.warehouseSchema == dataset.lowercased() && $0.warehouseTable == table.lowercased() }
    }

    /// Checks references until nothing changes, then orders the survivors so that each comes
    /// after the tables it reads.
    static func resolve(_ candidates: [DecodedTableDefinition]) -> ([DecodedTableDefinition], [DecodedTableError]) {
        var alive = candidates
        var refused: [DecodedTableError] = []
        var changed = true
        while changed {
            changed = false
            var index: [String: DecodedTableDefinition] = [:]
            for definition in alive { index[definition.warehouseSchema + "." + definition.warehouseTable] = definition }
            var keep: [DecodedTableDefinition] = []
            for definition in alive {
                if let reason = problem(definition, index) {
                    refused.append(DecodedTableError(file: definition.file, .unresolvedReference, reason))
                    changed = true
                } else {
                    keep.append(definition)
                }
            }
            alive = keep
        }
        // Kahn's algorithm; what remains is a cycle.
        var key: [String: DecodedTableDefinition] = [:]
        for definition in alive { key[definition.warehouseSchema + "." + definition.warehouseTable] = definition }
        func keys(_ definition: DecodedTableDefinition) -> [String] {
            definition.dependencies.map { definition.warehouseSchema + "." + $0.lowercased() }
        }
        var placed = Set<String>()
        var ordered: [DecodedTableDefinition] = []
        var pending = alive.sorted { ($0.warehouseSchema, $0.warehouseTable) < ($1.warehouseSchema, $1.warehouseTable) }
        while true {
            let ready = pending.filter { keys($0).allSatisfy { placed.contains($0) } }
            if ready.isEmpty { break }
            for definition in ready { placed.insert(definition.warehouseSchema + "." + definition.warehouseTable) }
            ordered += ready
            pending.removeAll { placed.contains($0.warehouseSchema + "." + $0.warehouseTable) }
        }
        for definition in pending {
            refused.append(DecodedTableError(file: definition.file, .unresolvedReference, "its ref() dependencies form a cycle (\(definition.dependencies.joined(separator: ", ")))"))
        }
        return (ordered, refused)
    }

    /// Why a definition's references cannot be resolved among `index`, or nil.
    static func problem(_ definition: DecodedTableDefinition, _ index: [String: DecodedTableDefinition]) -> String? {
        guard case .query(let query) = definition.contracts else { return nil }
        var selects: [ContractSelect] = []
        func collect(_ query: ContractQuery) {
            switch query {
            case .select(let select): selects.append(select)
            case .literal: break
            case .combine(let left, _, let right): collect(left); collect(right)
            }
        }
        collect(query)
        for select in selects {
            guard let target = index[definition.warehouseSchema + "." + select.table.lowercased()] else {
                return "ref('\(select.table)') names no accepted table definition in dataset \(definition.dataset)"
            }
            let names = Set(target.columns.map { $0.name.lowercased() })
            for column in select.columns where !names.contains(column.lowercased()) {
                return "ref('\(select.table)') has no column \(column)"
            }
        }
        return nil
    }
}
