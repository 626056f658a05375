// contract_address forms: null, an address, UNNEST lists, and SQL over ref() parsed into a filter tree.

import Foundation
import Testing
@testable import Shared

@Suite("Contract filters")
struct ContractFilterTests {
    static let a = "0x" + String(repeating: "a", count: 40)
    static let b = "0x" + String(repeating: "b", count: 40)
    static let c = "0x" + String(repeating: "c", count: 40)

    @Test("null is every contract; an address is lower-cased; an UNNEST list keeps its order")
    func simpleForms() throws {
        #expect(try ContractFilter(parsing: nil) == .all)
        #expect(try ContractFilter(parsing: Self.a.uppercased().replacingOccurrences(of: "0X", with: "0x")) == .addresses([Self.a]))
        let list = try ContractFilter(parsing: "SELECT * FROM UNNEST(['\(Self.b)', \"\(Self.a)\"])")
        #expect(list == .addresses([Self.b, Self.a]))
        #expect(list.form == "address_list")
        #expect(try ContractFilter(parsing: "select address from unnest(['\(Self.a)']) as address") == .addresses([Self.a]))
        #expect(list.dependencies.isEmpty)
        // Literal-only set expressions are known at once; an UNNEST list may join a select.
        #expect(try ContractFilter(parsing: "(SELECT '\(Self.b)' UNION ALL SELECT '\(Self.a)') EXCEPT DISTINCT SELECT '\(Self.b)'") == .addresses([Self.a]))
        let mixed = try ContractFilter(parsing: "SELECT * FROM UNNEST(['\(Self.a)']) UNION ALL SELECT pair FROM ref('Pairs')")
        #expect(mixed == .query(.combine(.literals([Self.a]), .unionAll, .select(ContractSelect(table: "Pairs", column: "pair")))))
    }

    @Test("SELECT col FROM ref('T') with GROUP BY, DISTINCT, aliases, comments and any keyword case")
    func selects() throws {
        let plain = try ContractFilter(parsing: "SELECT pair FROM ref('UniswapV2Factory_event_PairCreated')")
        #expect(plain == .query(.select(ContractSelect(table: "UniswapV2Factory_event_PairCreated", column: "pair"))))
        #expect(plain.dependencies == ["UniswapV2Factory_event_PairCreated"])
        let grouped = try ContractFilter(parsing: "SELECT aToken FROM ref('PoolConfigurator_event_ReserveInitialized') group by aToken")
        #expect(grouped == .query(.select(ContractSelect(table: "PoolConfigurator_event_ReserveInitialized", column: "aToken", distinct: true))))
        let aliased = try ContractFilter(parsing: "/* why */ select distinct t.pool as address from ref(\"Registry\") t -- trailing\n;")
        #expect(aliased == .query(.select(ContractSelect(table: "Registry", column: "pool", distinct: true))))
        #expect(throws: ContractFilterError.self) { try ContractFilter(parsing: "SELECT pool FROM ref('R') GROUP BY other") }
    }

    @Test("UNION ALL / UNION DISTINCT / EXCEPT DISTINCT of selects and literals, in parentheses")
    func setOperators() throws {
        let text = "(SELECT pool FROM ref('Added') EXCEPT DISTINCT SELECT pool FROM ref('Removed')) UNION ALL SELECT  '\(Self.c)' UNION DISTINCT SELECT DISTINCT x from ref('Other')"
        let filter = try ContractFilter(parsing: text)
        let expected: ContractQuery = .combine(
            .combine(
                .combine(.select(ContractSelect(table: "Added", column: "pool")), .exceptDistinct, .select(ContractSelect(table: "Removed", column: "pool"))),
                .unionAll, .literals([Self.c])),
            .unionDistinct, .select(ContractSelect(table: "Other", column: "x", distinct: true)))
        #expect(filter == .query(expected))
        #expect(filter.dependencies == ["Added", "Other", "Removed"])
        let rows: [String: [[String: String]]] = [
            "Added": [["pool": Self.a], ["pool": Self.b.uppercased().replacingOccurrences(of: "0X", with: "0x")]],
            "Removed": [["pool": Self.b]],
            "Other": [["x": Self.a], [:]],
        ]
        let addresses = try #require(filter.query).addresses { rows[$0] ?? [] }
        #expect(addresses == [Self.a, Self.c])
    }

    @Test("WHERE: comparisons, IN, IS NULL, AND/OR/NOT with SQL's NULL logic")
    func whereClauses() throws {
        let filter = try ContractFilter(parsing: """
            SELECT token FROM ref('Listed') WHERE (kind = 'erc20' OR kind IN ("erc721", 'erc1155')) AND NOT deprecated = true \
            AND LOWER(token) != '\(Self.c.uppercased().replacingOccurrences(of: "0X", with: "0x"))' AND decimals >= 6 AND note IS NULL
            """)
        let query = try #require(filter.query)
        let rows: [[String: String]] = [
            ["token": Self.a, "kind": "erc20", "deprecated": "false", "decimals": "18"],
            ["token": Self.b, "kind": "erc721", "deprecated": "true", "decimals": "18"],
            ["token": Self.c, "kind": "erc20", "deprecated": "false", "decimals": "18"],
            ["token": "0x01", "kind": "erc1155", "decimals": "18"], // deprecated NULL: NOT unknown is unknown
            ["token": "0x02", "kind": "erc20", "deprecated": "false", "decimals": "5"],
            ["token": "0x03", "kind": "erc20", "deprecated": "false", "decimals": "100000000000000000000000"],
            ["token": "0x04", "kind": "erc20", "deprecated": "false", "decimals": "18", "note": "x"],
        ]
        #expect(query.addresses { _ in rows } == [Self.a, "0x03"])
        #expect(Set(query.tables) == ["Listed"])
        guard case .select(let select) = query else { Issue.record("not a select"); return }
        #expect(Set(select.columns) == ["token", "kind", "deprecated", "decimals", "note"])
    }

    @Test("unsupported SQL and bad addresses are refused with the reason", arguments: [
        "SELECT pair FROM `project.dataset.table`",
        "SELECT pair FROM ref('A') JOIN ref('B') ON a = b",
        "SELECT pair FROM ref('A') LIMIT 5",
        "SELECT pair, token FROM ref('A')",
        "SELECT * FROM UNNEST(['0x1234'])",
        "0x12",
        "SELECT '0xnothex00000000000000000000000000000000000'",
        "SELECT pair FROM ref('A') WHERE x LIKE 'a%'",
        "SELECT pair FROM ref('A') UNION SELECT pair FROM ref('B')",
        "SELECT contract_address AS address FROM ref('view') WHERE (",
        "WITH x AS (SELECT 1) SELECT * FROM x",
        "SELECT pair FROM ref('A') /* unclosed",
    ])
    func refused(text: String) {
        do {
            let filter = try ContractFilter(parsing: text)
            Issue.record("accepted as \(filter)")
        } catch let error as ContractFilterError {
            #expect(!error.reason.isEmpty)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}

extension ContractFilter {
    var query: ContractQuery? {
        if case .query(let query) = self { return query }
        return nil
    }
}
