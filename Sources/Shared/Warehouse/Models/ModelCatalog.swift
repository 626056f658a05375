// The models a model job runs, in dependency order: the built-in enrich tables, then the folder's.

import Foundation

/// Every model, ordered so each runs after what it depends on. Built at start-up, so a bad model
/// file stops the worker with a message instead of failing jobs one by one.
public struct ModelCatalog: Sendable {
    /// In run order.
    public let models: [WarehouseModel]

    public init(_ models: [WarehouseModel]) throws(ModelError) {
        var byName: [String: WarehouseModel] = [:]
        for model in models {
            if let other = byName[model.name] {
                throw ModelError(.invalidModel, "model \(model.name) is defined twice (\(other.source) and \(model.source))")
            }
            byName[model.name] = model
        }
        for model in models {
            for dependency in model.dependsOn where byName[dependency] == nil {
                throw ModelError(.invalidModel, "\(model.source): depends_on names \(dependency), which is not a model (known: \(byName.keys.sorted().joined(separator: ", ")))")
            }
        }
        // Depth-first topological sort; ties keep the given order (built-ins first, then by file
        // name), except that concurrent models go first where their dependencies allow: a job
        // holds a serialised model's lock until it commits, so the later those locks are taken,
        // the less of each job other ranges wait for.
        var ordered: [WarehouseModel] = []
        var state: [String: Bool] = [:]  // false: on the current path, true: placed
        func visit(_ model: WarehouseModel, path: [String]) throws(ModelError) {
            if state[model.name] == true { return }
            if state[model.name] == false {
                throw ModelError(.invalidModel, "models depend on each other in a cycle: \((path + [model.name]).joined(separator: " -> "))")
            }
            state[model.name] = false
            for dependency in model.dependsOn { try visit(byName[dependency]!, path: path + [model.name]) }
            state[model.name] = true
            ordered.append(model)
        }
        for model in models where model.concurrent { try visit(model, path: []) }
        for model in models { try visit(model, path: []) }
        self.models = ordered
    }

    /// The built-in models plus every `*.sql` file in `directory` (a `NAME.redshift.sql` is the
    /// Redshift text of `NAME.sql`, not a model of its own).
    public static func load(directory: String?) throws(ModelError) -> ModelCatalog {
        var models = EnrichModels.all
        guard let directory else { return try ModelCatalog(models) }
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        } catch {
            throw ModelError(.invalidModel, "cannot read the models folder \(directory): \(error.localizedDescription)")
        }
        for file in files where file.hasSuffix(".sql") && !file.hasSuffix(".redshift.sql") {
            let name = String(file.dropLast(".sql".count))
            let path = (directory as NSString).appendingPathComponent(file)
            let redshiftPath = (directory as NSString).appendingPathComponent("\(name).redshift.sql")
            let text = try read(path)
            // An unreadable Redshift variant must not fall back to the Postgres text silently.
            let redshift = FileManager.default.fileExists(atPath: redshiftPath) ? try read(redshiftPath) : nil
            models.append(try WarehouseModel.parse(name: name, postgresText: text, redshiftText: redshift, source: path))
        }
        for file in files where file.hasSuffix(".redshift.sql") && !files.contains(String(file.dropLast(".redshift.sql".count)) + ".sql") {
            throw ModelError(.invalidModel, "\(file) has no \(file.dropLast(".redshift.sql".count)).sql beside it")
        }
        return try ModelCatalog(models)
    }

    static func read(_ path: String) throws(ModelError) -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ModelError(.invalidModel, "cannot read \(path): \(error.localizedDescription)")
        }
    }

    public func model(named name: String) -> WarehouseModel? { models.first { $0.name == name } }

    /// Everything a model needs loaded: its own requirements and its dependencies', transitively.
    public func requirements(of model: WarehouseModel) -> Set<ExportEntity> {
        model.dependsOn.reduce(model.requires) { result, name in
            self.model(named: name).map { result.union(requirements(of: $0)) } ?? result
        }
    }

    /// `names` and every model that depends on one of them, transitively: what a backfill re-runs.
    public func withDependents(_ names: Set<String>) -> Set<String> {
        var result = names
        for model in models where model.dependsOn.contains(where: result.contains) {
            result.insert(model.name)
        }
        return result
    }
}
