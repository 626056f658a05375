// The catalog: shipped models load, run after their dependencies, and bad catalogs are refused.

import Foundation
import Shared
import Testing

@Suite("Model catalog")
struct ModelCatalogTests {
    static let shipped = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("models").path

    static func model(_ name: String, _ dependsOn: [String] = [], requires: Set<ExportEntity> = []) throws -> WarehouseModel {
        WarehouseModel(name: name, dependsOn: dependsOn, requires: requires,
                       postgres: try ModelStatement.parseScript("SELECT 1", source: name), source: "\(name).sql")
    }

    @Test("the shipped models load, after the built-in enrich models they depend on")
    func shippedModels() throws {
        let catalog = try ModelCatalog.load(directory: Self.shipped)
        let names = catalog.models.map(\.name)
        for name in ["daily_transaction_stats", "token_transfers_daily", "ether_balance_changes"] {
            let model = try #require(catalog.model(named: name), "\(name) missing from \(names)")
            for dependency in model.dependsOn {
                #expect(try #require(names.firstIndex(of: dependency)) < names.firstIndex(of: name)!)
            }
        }
        #expect(catalog.requirements(of: catalog.model(named: "ether_balance_changes")!) == [.blocks, .transactions, .receipts, .traces])
        // The Redshift variant is the same model, with other text.
        let daily = try #require(catalog.model(named: "token_transfers_daily"))
        #expect(daily.postgres != daily.redshift && daily.redshift.contains { $0.text.contains("DOUBLE PRECISION") })
        #expect(!names.contains("token_transfers_daily.redshift"))
    }

    @Test("models run after their dependencies whatever order they are given in")
    func order() throws {
        let catalog = try ModelCatalog([try Self.model("c", ["b"]), try Self.model("b", ["a"]), try Self.model("a")])
        #expect(catalog.models.map(\.name) == ["a", "b", "c"])
        #expect(catalog.withDependents(["a"]) == ["a", "b", "c"])
        #expect(catalog.withDependents(["b"]) == ["b", "c"])
    }

    @Test("a cycle, an unknown dependency and a duplicate name are refused, naming them")
    func refusesBadCatalogs() throws {
        do {
            _ = try ModelCatalog([try Self.model("a", ["b"]), try Self.model("b", ["a"])])
            Issue.record("a cycle was accepted")
        } catch let error as ModelError {
            #expect(error.message.contains("a -> b -> a"))
        }
        do {
            _ = try ModelCatalog([try Self.model("a", ["missing"])])
            Issue.record("an unknown dependency was accepted")
        } catch let error as ModelError {
            #expect(error.message.contains("missing"))
        }
        #expect(throws: ModelError.self) { try ModelCatalog([try Self.model("a"), try Self.model("a")]) }
    }

    @Test("a model file's header declares its dependencies and required entities; a bad entity is named")
    func header() throws {
        let model = try WarehouseModel.parse(name: "m", postgresText: """
            -- depends_on: enriched_transactions
            -- requires: traces, blocks
            -- description: what it holds
            SELECT :first_block
            """, redshiftText: nil, source: "m.sql")
        #expect(model.dependsOn == ["enriched_transactions"] && model.requires == [.traces, .blocks] && model.description == "what it holds")
        #expect(model.postgres == model.redshift)
        #expect(throws: ModelError.self) {
            try WarehouseModel.parse(name: "m", postgresText: "-- requires: trace\nSELECT 1", redshiftText: nil, source: "m.sql")
        }
        #expect(throws: ModelError.self) {
            try WarehouseModel.parse(name: "Bad-Name", postgresText: "SELECT 1", redshiftText: nil, source: "Bad-Name.sql")
        }
    }

    @Test("an unreadable Redshift variant is an error, never a silent fallback to the Postgres text")
    func unreadableRedshiftVariant() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bf-models-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("m.redshift.sql"), withIntermediateDirectories: true)
        try "SELECT :first_block".write(to: folder.appendingPathComponent("m.sql"), atomically: true, encoding: .utf8)
        do {
            _ = try ModelCatalog.load(directory: folder.path)
            Issue.record("a Redshift variant that cannot be read was accepted")
        } catch {
            #expect(error.message.contains("m.redshift.sql"), "\(error)")
        }
    }

    @Test("a changed model has another fingerprint, so it runs again where it was applied")
    func fingerprint() throws {
        let one = try WarehouseModel.parse(name: "m", postgresText: "SELECT :first_block", redshiftText: nil, source: "m.sql")
        let two = try WarehouseModel.parse(name: "m", postgresText: "SELECT :last_block", redshiftText: nil, source: "m.sql")
        #expect(one.fingerprint(.postgres) != two.fingerprint(.postgres))
        #expect(one.fingerprint(.postgres) == one.fingerprint(.redshift))
    }

    @Test("concurrent: true marks a model whose rows are per range; built-in enrich models and ether_balance_changes are, the day models are not; a bad value is named")
    func concurrentHeader() throws {
        let model = try WarehouseModel.parse(name: "m", postgresText: "-- concurrent: true\nSELECT :first_block", redshiftText: nil, source: "m.sql")
        #expect(model.concurrent)
        #expect(!(try WarehouseModel.parse(name: "m", postgresText: "SELECT :first_block", redshiftText: nil, source: "m.sql")).concurrent)
        do {
            _ = try WarehouseModel.parse(name: "m", postgresText: "-- concurrent: maybe\nSELECT 1", redshiftText: nil, source: "m.sql")
            Issue.record("concurrent: maybe was accepted")
        } catch {
            #expect(error.message.contains("m.sql") && error.message.contains("maybe"), "\(error)")
        }
        let catalog = try ModelCatalog.load(directory: Self.shipped)
        #expect(EnrichModels.all.allSatisfy { $0.concurrent })
        #expect(catalog.model(named: "ether_balance_changes")?.concurrent == true)
        #expect(catalog.model(named: "daily_transaction_stats")?.concurrent == false)
        #expect(catalog.model(named: "token_transfers_daily")?.concurrent == false)
    }

    @Test("concurrent models run before serialised ones where their dependencies allow, so a job holds the serialised models' locks for less time")
    func concurrentFirst() throws {
        func model(_ name: String, _ dependsOn: [String] = [], concurrent: Bool) throws -> WarehouseModel {
            WarehouseModel(name: name, dependsOn: dependsOn, postgres: try ModelStatement.parseScript("SELECT 1", source: name), source: "\(name).sql", concurrent: concurrent)
        }
        let catalog = try ModelCatalog([
            try model("day", concurrent: false), try model("per_block", concurrent: true),
            try model("after_day", ["day"], concurrent: true), try model("last", concurrent: false),
        ])
        #expect(catalog.models.map(\.name) == ["per_block", "day", "after_day", "last"])
        let shipped = try ModelCatalog.load(directory: Self.shipped).models.map(\.name)
        #expect(try #require(shipped.firstIndex(of: "ether_balance_changes")) < shipped.firstIndex(of: "daily_transaction_stats")!, "\(shipped)")
    }
}
