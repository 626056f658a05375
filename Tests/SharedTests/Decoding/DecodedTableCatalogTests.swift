// ethereum-etl-airflow's real definitions: the share accepted, each refusal's reason, references.

import Foundation
import Testing
@testable import Shared

@Suite("Decoded table catalog")
struct DecodedTableCatalogTests {
    @Test("the shared fixture corpus: at least 95 % accepted, each refused file named with its reason")
    func fixtureShare() throws {
        let catalog = try DecodedTableCatalog.load(directory: AirflowDefinitions.root)
        let total = catalog.definitions.count + catalog.refusals.count
        #expect(total == 179)
        print("accepted \(catalog.definitions.count) of \(total) (\(String(format: "%.1f", catalog.acceptedShare * 100)) %)")
        for refusal in catalog.refusals { print("refused \(refusal)") }
        #expect(catalog.acceptedShare >= 0.95)
        // chainlink's two definitions read view_*.sql, a view of literal rows, read as such.
        #expect(catalog.refusals.isEmpty)
        #expect(catalog.staticTables.map(\.file) == ["chainlink/view_AccessControlledOffchainAggregator_info.sql"])
        #expect(catalog.skippedFiles == ["uniswap/uniswap_v2_swaps_with_slippage.sql"])
    }

    @Test("every contract_address form of the corpus is read: all, address, list, query")
    func forms() throws {
        let catalog = try DecodedTableCatalog.load(directory: AirflowDefinitions.root)
        var counts: [String: Int] = [:]
        for definition in catalog.definitions { counts[definition.contracts.form, default: 0] += 1 }
        #expect(counts == ["all": 15, "address": 116, "address_list": 2, "query": 46])
        let curve = try #require(catalog.definition(dataset: "curve", table: "CryptoSwap_call_exchange"))
        #expect(curve.dependencies == ["CryptoRegistry_event_PoolAdded", "CryptoRegistry_event_PoolRemoved"])
        guard case .query(let query) = curve.contracts else { Issue.record("not a query"); return }
        let added = [["pool": "0x" + String(repeating: "1", count: 40)], ["pool": "0x" + String(repeating: "2", count: 40)]]
        let removed = [["pool": "0x" + String(repeating: "2", count: 40)]]
        let addresses = query.addresses { $0 == "CryptoRegistry_event_PoolAdded" ? added : removed }
        #expect(addresses.contains("0x" + String(repeating: "1", count: 40)))
        #expect(!addresses.contains("0x" + String(repeating: "2", count: 40)))
        #expect(addresses.contains("0x7f2af2c7bfdad063ff01dcec077a216d95a0a944"))
        #expect(addresses.count == 1 + 61) // PoolAdded minus PoolRemoved, plus 61 literals
    }

    @Test("a literal-rows view: selects over it become its addresses; the union keeps the decoded table's part")
    func literalView() throws {
        let catalog = try DecodedTableCatalog.load(directory: AirflowDefinitions.root)
        let view = try #require(catalog.staticTables.first)
        #expect(view.name == "view_AccessControlledOffchainAggregator_info" && view.dataset == "chainlink")
        #expect(view.rows.count == 42)
        #expect(view.rows.first == ["contract_address": "0xdbe1941bfbe4410d6865b9b7078e0b49af144d2d", "decimals": "8",
                                    "proxy_address": "0xf4030086522a5beea4988f8ca5b36dbc97bee88c", "description": "BTC / USD", "version": "4"])
        let confirm = try #require(catalog.definition(dataset: "chainlink", table: "EACAggregatorProxy_call_confirmAggregator"))
        guard case .addresses(let proxies) = confirm.contracts else { Issue.record("\(confirm.contracts)"); return }
        #expect(proxies.contains("0xf4030086522a5beea4988f8ca5b36dbc97bee88c"))
        #expect(proxies.count == Set(view.rows.compactMap { $0["proxy_address"] }).count)
        let answers = try #require(catalog.definition(dataset: "chainlink", table: "AccessControlledOffchainAggregator_event_AnswerUpdated"))
        #expect(answers.dependencies == ["EACAggregatorProxy_call_confirmAggregator"])
        guard case .query(let query) = answers.contracts else { Issue.record("\(answers.contracts)"); return }
        let aggregator = "0x" + String(repeating: "9", count: 40)
        let addresses = query.addresses { _ in [["_aggregator": aggregator]] }
        #expect(addresses.contains(aggregator) && addresses.contains("0xdbe1941bfbe4410d6865b9b7078e0b49af144d2d"))
    }

    @Test("a view that is not literal rows is skipped, and a definition reading it is refused saying why")
    func unreadableView() {
        let catalog = DecodedTableCatalog(
            files: [
                ("d/Reads.json", Self.file("Reads", contract: "SELECT a FROM ref('view_live') WHERE b = 1")),
                ("d/ReadsList.json", Self.file("ReadsList", contract: "SELECT a FROM ref('view_list') WHERE b >= 2")),
                ("d/BadColumn.json", Self.file("BadColumn", contract: "SELECT c FROM ref('view_list')")),
            ],
            views: [
                ("d/view_live.sql", "SELECT address FROM `bigquery-public-data.crypto_ethereum.contracts`"),
                ("d/view_list.sql", "SELECT * FROM UNNEST([STRUCT('0x\(String(repeating: "1", count: 40))' AS a, 1 AS b), STRUCT('0x\(String(repeating: "2", count: 40))' as a, 2 as b), STRUCT(NULL AS a, 3 AS b)])"),
            ])
        #expect(catalog.skippedFiles == ["d/view_live.sql"])
        #expect(catalog.definitions.map(\.tableName) == ["ReadsList"])
        #expect(catalog.definitions.first?.contracts == .addresses(["0x" + String(repeating: "2", count: 40)]))
        let reasons = Dictionary(uniqueKeysWithValues: catalog.refusals.map { ($0.file, $0.reason) })
        #expect(reasons["d/Reads.json"]?.contains("d/view_live.sql is not a literal-rows view") == true)
        #expect(reasons["d/BadColumn.json"]?.contains("has no column c") == true)
    }

    @Test("a folder: nested datasets, symbolic links to files, hidden folders skipped, a missing folder refused")
    func folder() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("decoded-catalog-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let hidden = root.appendingPathComponent("..data/d", isDirectory: true)
        try FileManager.default.createDirectory(at: hidden, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("d/nested"), withIntermediateDirectories: true)
        try Self.file("Base", contract: nil).write(to: hidden.appendingPathComponent("Base.json"))
        try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("d/Base.json"), withDestinationURL: hidden.appendingPathComponent("Base.json"))
        try Self.file("Pairs", contract: "SELECT pair FROM ref('Base')").write(to: root.appendingPathComponent("d/nested/Pairs.json"))
        try Data("notes".utf8).write(to: root.appendingPathComponent("d/README.md"))
        let catalog = try DecodedTableCatalog.load(directory: root)
        #expect(catalog.definitions.map(\.file) == ["d/Base.json", "d/nested/Pairs.json"])
        #expect(catalog.refusals.isEmpty)
        #expect(catalog.skippedFiles == ["d/README.md"])
        #expect(throws: DecodedTableError.self) { try DecodedTableCatalog.load(directory: root.appendingPathComponent("missing")) }
    }

    @Test("definitions come after the tables their filter reads")
    func dependencyOrder() throws {
        let catalog = try DecodedTableCatalog.load(directory: AirflowDefinitions.root)
        var placed = Set<String>()
        for definition in catalog.definitions {
            for dependency in definition.dependencies {
                #expect(placed.contains(definition.warehouseSchema + "." + dependency.lowercased()), "\(definition.tableName) before \(dependency)")
            }
            placed.insert(definition.warehouseSchema + "." + definition.warehouseTable)
        }
    }

    static func file(_ table: String, contract: String?, dataset: String = "d", inputs: String = #"[{"name":"pair","type":"address","indexed":true}]"#) -> Data {
        let address = contract.map { "\"\($0)\"" } ?? "null"
        return Data("""
            {"parser":{"type":"log","contract_address":\(address),"abi":{"type":"event","name":"E\(table)","inputs":\(inputs)}},
             "table":{"dataset_name":"\(dataset)","table_name":"\(table)","schema":[{"name":"pair","type":"STRING"}]}}
            """.utf8)
    }

    @Test("references to missing tables or columns, cycles, and their dependents are refused; duplicates too")
    func unresolved() {
        let catalog = DecodedTableCatalog(files: [
            ("d/Base.json", Self.file("Base", contract: nil)),
            ("d/Good.json", Self.file("Good", contract: "SELECT pair FROM ref('Base')")),
            ("d/NoColumn.json", Self.file("NoColumn", contract: "SELECT token FROM ref('Base')")),
            ("d/Missing.json", Self.file("Missing", contract: "SELECT pair FROM ref('Nowhere')")),
            ("d/Dependent.json", Self.file("Dependent", contract: "SELECT pair FROM ref('Missing')")),
            ("d/CycleA.json", Self.file("CycleA", contract: "SELECT pair FROM ref('CycleB')")),
            ("d/CycleB.json", Self.file("CycleB", contract: "SELECT pair FROM ref('CycleA')")),
            ("e/Other.json", Self.file("Other", contract: "SELECT pair FROM ref('Base')", dataset: "e")),
            ("d/z_copy.json", Self.file("base", contract: nil)),
            ("d/Broken.json", Data("{".utf8)),
            ("d/Unreadable.json", nil),
        ])
        #expect(catalog.definitions.map(\.tableName) == ["Base", "Good"])
        let reasons = Dictionary(uniqueKeysWithValues: catalog.refusals.map { ($0.file, $0) })
        #expect(reasons["d/NoColumn.json"]?.reason.contains("no column token") == true)
        #expect(reasons["d/Missing.json"]?.reason.contains("ref('Nowhere')") == true)
        #expect(reasons["d/Dependent.json"]?.code == .unresolvedReference)
        #expect(reasons["d/CycleA.json"]?.reason.contains("cycle") == true)
        #expect(reasons["d/CycleB.json"]?.reason.contains("cycle") == true)
        #expect(reasons["e/Other.json"]?.reason.contains("dataset e") == true)
        #expect(reasons["d/z_copy.json"]?.code == .duplicate)
        #expect(reasons["d/Broken.json"]?.code == .unreadable)
        #expect(reasons["d/Unreadable.json"]?.code == .unreadable)
        #expect(catalog.refusals.count == 9)
        #expect(abs(catalog.acceptedShare - 2.0 / 11.0) < 1e-9)
    }
}
