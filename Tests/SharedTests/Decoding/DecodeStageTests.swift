// The decode stage's parts that need no warehouse: what it refuses, its COPY text, its listing.

import Foundation
import NIOCore
import Testing
@testable import Shared

@Suite("Decode stage")
struct DecodeStageTests {
    @Test("the shared fixture corpus: the stage runs every definition without ref(), and refuses each ref() one naming the file and its tables")
    func stageRefusals() throws {
        let catalog = try DecodedTableCatalog.load(directory: AirflowDefinitions.root)
        let queries = catalog.definitions.filter { if case .query = $0.contracts { true } else { false } }
        // Postgres names are at most 63 bytes: a longer table name is refused rather than truncated.
        let long = catalog.definitions.filter { $0.warehouseTable.utf8.count > 63 }
        #expect(!queries.isEmpty && long.count == 1)
        #expect(catalog.decodable.count == catalog.definitions.count - queries.count - long.count)
        #expect(catalog.stageRefusals.first { $0.file == long.first?.file }?.reason.contains("longer than 63 bytes") == true)
        let refused = Dictionary(uniqueKeysWithValues: catalog.stageRefusals.map { ($0.file, $0) })
        for definition in queries {
            let refusal = try #require(refused[definition.file])
            #expect(refusal.code == .unsupportedContractFilter && definition.dependencies.allSatisfy(refusal.reason.contains), "\(refusal)")
        }
        #expect(throws: DecodedTableError.self) { try DecodeStage(definitions: queries) }
        let stage = try DecodeStage(definitions: catalog.decodable)
        #expect(stage.definitions.count == catalog.decodable.count)
        // The run name is what `parse backfill` forces.
        #expect(catalog.decodable.map(DecodeStage.runName).allSatisfy { $0.hasPrefix("decode:") && $0 == $0.lowercased() })
    }

    @Test("COPY text: tab-separated, \\N for NULL, backslash, tab, newline and carriage return escaped, one line per row")
    func copyText() {
        var rows = DecodedCopyRows()
        rows.field("plain")
        rows.field(nil as String?)
        rows.field(Int64(-42))
        rows.field("a\\b\tc\nd\re ü")
        rows.endRow()
        rows.field("")
        rows.endRow()
        #expect(String(buffer: rows.buffer) == "plain\t\\N\t-42\ta\\\\b\\tc\\nd\\re ü\n\n")
        #expect(rows.rows == 2)
    }

    @Test("the listing names each definition's dataset, table, type, contract filter and dependencies, and each refused file")
    func listing() throws {
        let listing = DecodedTableListing(try DecodedTableCatalog.load(directory: AirflowDefinitions.root))
        let catalog = try DecodedTableCatalog.load(directory: AirflowDefinitions.root)
        #expect(listing.definitions.count == catalog.decodable.count && listing.refused.count == catalog.stageRefusals.count)
        let transferSingle = try #require(listing.definitions.first { $0.table.lowercased() == "all_event_transfersingle" })
        #expect(transferSingle.dataset == "common" && transferSingle.type == "log" && transferSingle.contractFilter == "all" && transferSingle.warehouseTable == "common.all_event_transfersingle")
        #expect(listing.text.contains("common.all_event_transfersingle"))
        let encoder = JSONEncoder()
        let json = try #require(try JSONSerialization.jsonObject(with: encoder.encode(listing)) as? [String: Any])
        #expect((json["definitions"] as? [[String: Any]])?.first?["contract_filter"] != nil)
    }

    @Test("the definitions the image ships (parse/) all load and the stage runs them: ERC-1155 TransferSingle and TransferBatch, Approval, ApprovalForAll, WETH Deposit and Withdrawal")
    func shippedDefinitions() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let catalog = try DecodedTableCatalog.load(directory: root.appendingPathComponent("parse"))
        #expect(catalog.stageRefusals.isEmpty, "\(catalog.stageRefusals)")
        #expect(Set(catalog.decodable.map { "\($0.warehouseSchema).\($0.warehouseTable)" }) == [
            "common.all_event_transfersingle", "common.all_event_transferbatch", "common.all_event_approval",
            "common.all_event_approvalforall", "common.all_event_deposit", "common.all_event_withdrawal",
        ])
        _ = try DecodeStage(definitions: catalog.decodable)
    }

    @Test("a model worker reads BLOCKFLEET_PARSE_DIR at start: the shipped definitions add the erc1155_transfers model; a Redshift warehouse with definitions is refused naming the setting")
    func workerConfiguration() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let database = try DatabaseConfiguration(url: "postgres://blockfleet@127.0.0.1:5432/blockfleet", setting: "BLOCKFLEET_DATABASE_URL")
        let base = ["BLOCKFLEET_WORKER_KINDS": "model", "BLOCKFLEET_STAGING_URL": "file:///tmp/bf-staging"]
        let plain = try WorkerApplicationConfiguration(environment: Environment(base), database: database)
        #expect(plain.decodedTables == nil && plain.catalog?.model(named: ERC1155TransfersModel.name) == nil)
        let parse = base.merging(["BLOCKFLEET_PARSE_DIR": root.appendingPathComponent("parse").path]) { $1 }
        let configuration = try WorkerApplicationConfiguration(environment: Environment(parse), database: database)
        #expect(configuration.decodedTables?.definitions.count == 6)
        #expect(configuration.catalog?.model(named: ERC1155TransfersModel.name) != nil)
        let redshift = parse.merging(["BLOCKFLEET_WAREHOUSE_URL": "redshift://blockfleet@example.invalid:5439/dev",
                                      "BLOCKFLEET_REDSHIFT_IAM_ROLE": "arn:aws:iam::123456789012:role/blockfleet-copy"]) { $1 }
        #expect {
            _ = try WorkerApplicationConfiguration(environment: Environment(redshift), database: database)
        } throws: { error in
            (error as? ConfigurationError)?.setting == "BLOCKFLEET_PARSE_DIR" && "\(error)".contains("Postgres warehouses only")
        }
    }

    @Test("system names are refused: a pg_ table or schema, information_schema")
    func systemNames() throws {
        func file(_ dataset: String, _ table: String) -> Data {
            Data(#"{"parser": {"type": "log", "contract_address": null, "abi": {"anonymous": false, "inputs": [{"indexed": false, "name": "x", "type": "uint256"}], "name": "E", "type": "event"}, "field_mapping": {}}, "table": {"dataset_name": "\#(dataset)", "table_name": "\#(table)", "table_description": "", "schema": [{"name": "x", "type": "STRING"}]}}"#.utf8)
        }
        let catalog = DecodedTableCatalog(files: [("a/t.json", file("pg_catalog", "t")), ("b/t.json", file("ok", "pg_class")),
                                                  ("c/t.json", file("information_schema", "t")), ("d/t.json", file("ok", "fine"))])
        #expect(catalog.definitions.count == 4)
        #expect(catalog.stageRefusals.map(\.file) == ["a/t.json", "b/t.json", "c/t.json"])
        #expect(catalog.decodable.map(\.tableName) == ["fine"])
    }
}
