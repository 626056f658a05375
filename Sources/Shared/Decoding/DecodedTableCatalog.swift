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
    /// Literal-rows views (`view_*.sql`) that filters may read through `ref()`.
    public let staticTables: [DecodedStaticTable]
    /// Files that are neither `.json` definitions nor literal-rows views (e.g. a model's `.sql`), skipped.
    public let skippedFiles: [String]

    /// Accepted definitions over all definition files (1 when there are none).
    public var acceptedShare: Double {
        let total = definitions.count + refusals.count
        return total == 0 ? 1 : Double(definitions.count) / Double(total)
    }

    /// Loads every `*.json` (and `*.sql` view) under `directory`, at any depth; dataset and table
    /// come from the file's `table` section, not its path. Throws only when the folder is missing.
    public static func load(directory: URL) throws -> DecodedTableCatalog {
        let root = directory.standardizedFileURL
        var isFolder: ObjCBool = false
        // Hidden entries are skipped: a Kubernetes volume's `..data` folder would repeat every file.
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isFolder), isFolder.boolValue,
              let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil, options: [.skipsHiddenFiles]) else {
            throw DecodedTableError(file: directory.path, .unreadable, "not a readable folder")
        }
        var files: [(path: String, data: Data?)] = []
        var views: [(path: String, sql: String)] = []
        var skipped: [String] = []
        for case let url as URL in enumerator {
            // Symbolic links to files count as the files (mounted volumes link them).
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.resolvingSymlinksInPath().path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            let full = url.standardizedFileURL.path
            let relative = full.hasPrefix(root.path + "/") ? String(full.dropFirst(root.path.count + 1)) : full
            if url.pathExtension.lowercased() == "json" {
                files.append((relative, try? Data(contentsOf: url)))
            } else if url.pathExtension.lowercased() == "sql", let sql = try? String(contentsOf: url, encoding: .utf8) {
                views.append((relative, sql))
            } else {
                skipped.append(relative)
            }
        }
        return DecodedTableCatalog(files: files, views: views, skippedFiles: skipped)
    }

    /// Builds the catalog from file contents (nil data: the file could not be read). `views` are
    /// `.sql` files: those that are literal-rows views become `staticTables`, the others are skipped.
    public init(files: [(path: String, data: Data?)], views: [(path: String, sql: String)] = [], skippedFiles: [String] = []) {
        var statics: [String: DecodedStaticTable] = [:]
        var viewProblems: [String: String] = [:]
        var skipped = skippedFiles
        for view in views.sorted(by: { $0.path < $1.path }) {
            let parts = view.path.split(separator: "/")
            let dataset = parts.count >= 2 ? String(parts[parts.count - 2]) : ""
            let name = String(parts.last ?? "").replacingOccurrences(of: ".sql", with: "", options: [.caseInsensitive, .anchored, .backwards])
            let key = dataset.lowercased() + "." + name.lowercased()
            do {
                statics[key] = try DecodedStaticTable(file: view.path, dataset: dataset, name: name, sql: view.sql)
            } catch {
                viewProblems[key] = "\(view.path) is not a literal-rows view (\(error))"
                skipped.append(view.path)
            }
        }
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
        for var definition in parsed {
            do {
                definition.contracts = try Self.inlineViews(definition.contracts, dataset: definition.dataset, statics)
            } catch {
                refusals.append(DecodedTableError(file: definition.file, .unresolvedReference, "\(error)"))
                continue
            }
            let key = definition.warehouseSchema + "." + definition.warehouseTable
            if let first = byKey[key] {
                refusals.append(DecodedTableError(file: definition.file, .duplicate, "table \(definition.dataset).\(definition.tableName) is already defined by \(first.file)"))
            } else {
                byKey[key] = definition
                unique.append(definition)
            }
        }
        let (ordered, unresolved) = Self.resolve(unique, viewProblems: viewProblems)
        self.definitions = ordered
        self.refusals = (refusals + unresolved).sorted { $0.file < $1.file }
        self.staticTables = statics.values.sorted { $0.file < $1.file }
        self.skippedFiles = skipped.sorted()
    }

    /// Replaces each select over a literal-rows view of the dataset by the addresses it yields;
    /// a filter left without table references becomes a plain address list.
    static func inlineViews(_ filter: ContractFilter, dataset: String, _ statics: [String: DecodedStaticTable]) throws -> ContractFilter {
        guard case .query(let query) = filter, !statics.isEmpty else { return filter }
        func rewrite(_ query: ContractQuery) throws -> ContractQuery {
            switch query {
            case .literals:
                return query
            case .combine(let left, let op, let right):
                return .combine(try rewrite(left), op, try rewrite(right))
            case .select(let select):
                guard let view = statics[dataset.lowercased() + "." + select.table.lowercased()] else { return query }
                for column in select.columns where !view.columns.contains(column) {
                    throw ContractFilterError(.unsupported, "view \(view.file) has no column \(column)")
                }
                var addresses = Set<String>()
                for row in view.rows where select.predicate?.holds(for: row) ?? true {
                    guard let value = row[select.column] else { continue }
                    do {
                        addresses.insert(try ContractFilter.address(value))
                    } catch {
                        throw ContractFilterError(.invalidAddress, "view \(view.file) column \(select.column): '\(value)' is not an address")
                    }
                }
                return .literals(addresses.sorted())
            }
        }
        let rewritten = try rewrite(query)
        if rewritten.tables.isEmpty {
            return .addresses(rewritten.addresses { _ in [] }.sorted())
        }
        return .query(rewritten)
    }

    /// The accepted definition of `table` in `dataset` (names compared case-insensitively).
    public func definition(dataset: String, table: String) -> DecodedTableDefinition? {
        definitions.first { $0.warehouseSchema == dataset.lowercased() && $0.warehouseTable == table.lowercased() }
    }

    /// Checks references until nothing changes, then orders the survivors so that each comes
    /// after the tables it reads.
    static func resolve(_ candidates: [DecodedTableDefinition], viewProblems: [String: String] = [:]) -> ([DecodedTableDefinition], [DecodedTableError]) {
        var alive = candidates
        var refused: [DecodedTableError] = []
        var changed = true
        while changed {
            changed = false
            var index: [String: DecodedTableDefinition] = [:]
            for definition in alive { index[definition.warehouseSchema + "." + definition.warehouseTable] = definition }
            var keep: [DecodedTableDefinition] = []
            for definition in alive {
                if let reason = problem(definition, index, viewProblems: viewProblems) {
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
    static func problem(_ definition: DecodedTableDefinition, _ index: [String: DecodedTableDefinition], viewProblems: [String: String]) -> String? {
        guard case .query(let query) = definition.contracts else { return nil }
        var selects: [ContractSelect] = []
        func collect(_ query: ContractQuery) {
            switch query {
            case .select(let select): selects.append(select)
            case .literals: break
            case .combine(let left, _, let right): collect(left); collect(right)
            }
        }
        collect(query)
        for select in selects {
            guard let target = index[definition.warehouseSchema + "." + select.table.lowercased()] else {
                if let view = viewProblems[definition.warehouseSchema + "." + select.table.lowercased()] {
                    return "ref('\(select.table)'): \(view)"
                }
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
