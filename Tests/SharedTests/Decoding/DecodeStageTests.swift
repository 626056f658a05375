// The decode stage's parts that need no warehouse: what it refuses, its COPY text, its listing.

import Foundation
import NIOCore
import Testing
@testable import Shared

@Suite("Decode stage")
struct DecodeStageTests {
    @Test("the shared fixture corpus: the stage runs every definition, ref() filters included (dependencies ordered first), the one table name over 63 bytes shortened to a 63-byte Postgres name; every file accepted or refused with a reason")
    func stageRefusals() throws {
        let catalog = try DecodedTableCatalog.load(directory: AirflowDefinitions.root)
        let files = try AirflowDefinitions.files().count
        let queries = catalog.definitions.filter { if case .query = $0.contracts { true } else { false } }
        let long = catalog.definitions.filter { $0.warehouseTable.utf8.count > 63 }
        #expect(queries.count == 46 && long.count == 1)
        // The measured share: accepted files over all .json definition files of the corpus.
        let accepted = catalog.decodable.count
        #expect(accepted + catalog.stageRefusals.count == files, "every file accepted or refused with a reason")
        #expect(catalog.stageRefusals.allSatisfy { !$0.reason.isEmpty })
        #expect(Double(accepted) / Double(files) >= 0.95, "\(accepted) of \(files)")
        #expect(accepted == 179 && files == 179, "\(accepted) of \(files): \(catalog.stageRefusals)")
        let stage = try DecodeStage(definitions: catalog.decodable)
        #expect(stage.definitions.count == catalog.decodable.count)
        // Every dependency comes before the tables reading it.
        for (position, definition) in stage.definitions.enumerated() {
            for table in definition.dependencies {
                let dependency = try #require(stage.definitions.firstIndex { $0.warehouseSchema == definition.warehouseSchema && $0.warehouseTable == table.lowercased() })
                #expect(dependency < position, "\(definition.file) before \(table)")
            }
        }
        let name = try #require(long.first).postgresTable
        #expect(name.utf8.count == 63 && long[0].warehouseTable.hasPrefix(String(name.prefix(50))))
        // The run name is what `parse backfill` forces.
        #expect(catalog.decodable.map(DecodeStage.runName).allSatisfy { $0.hasPrefix("decode:") && $0 == $0.lowercased() })
    }

    static func definitionFile(_ dataset: String, _ table: String, contract: String = "null", event: String = "E") -> Data {
        Data(#"{"parser": {"type": "log", "contract_address": \#(contract), "abi": {"anonymous": false, "inputs": [{"indexed": false, "name": "x", "type": "address"}], "name": "\#(event)", "type": "event"}, "field_mapping": {}}, "table": {"dataset_name": "\#(dataset)", "table_name": "\#(table)", "table_description": "", "schema": [{"name": "x", "type": "STRING"}]}}"#.utf8)
    }

    @Test("Postgres names over 63 bytes are shortened deterministically: a 50-byte prefix, _, 12 hex digits of Keccak-256 of the whole name; shorter names are kept")
    func longNames() throws {
        let long = String(repeating: "a", count: 60) + "_event_SomethingLong"
        let catalog = DecodedTableCatalog(files: [("d/long.json", Self.definitionFile("d", long)), ("d/short.json", Self.definitionFile("d", "short"))])
        #expect(catalog.stageRefusals.isEmpty)
        let definition = try #require(catalog.definitions.first { $0.tableName == long })
        let expected = String(long.lowercased().prefix(50)) + "_" + ABIHex.text(Keccak256.hash(long.lowercased())).dropFirst(2).prefix(12)
        #expect(definition.postgresTable == expected && expected.utf8.count == 63)
        #expect(DecodedTableDefinition.postgresName(String(repeating: "b", count: 63)) == String(repeating: "b", count: 63))
        #expect(DecodedTableDefinition.postgresName(long + "x") != definition.postgresTable)
        #expect(try #require(catalog.definitions.first { $0.tableName == "short" }).postgresTable == "short")
        #expect(DecodedTableListing(catalog).definitions.first { $0.table == long }?.postgresTable == "d.\(expected)")
    }

    @Test("ref() cycles are refused at start naming the file and the reason, by the catalog and by the stage; a ref() to a table not decoded with it is refused by the stage")
    func cycles() throws {
        let a = Self.definitionFile("d", "a", contract: #""SELECT x FROM ref('b')""#)
        let b = Self.definitionFile("d", "b", contract: #""SELECT x FROM ref('a')""#, event: "F")
        let c = Self.definitionFile("d", "c", contract: #""SELECT x FROM ref('base')""#, event: "G")
        let base = Self.definitionFile("d", "base", event: "H")
        let catalog = DecodedTableCatalog(files: [("d/a.json", a), ("d/b.json", b), ("d/c.json", c), ("d/base.json", base)])
        #expect(Set(catalog.stageRefusals.map(\.file)) == ["d/a.json", "d/b.json"])
        #expect(catalog.stageRefusals.allSatisfy { $0.reason.contains("cycle") }, "\(catalog.stageRefusals)")
        #expect(catalog.decodable.map(\.tableName) == ["base", "c"])
        // The stage checks on its own (definitions may come from elsewhere than a catalog).
        let parsed = try [("d/a.json", a), ("d/b.json", b)].map { try DecodedTableDefinition(file: $0.0, data: $0.1) }
        #expect { try DecodeStage(definitions: parsed) } throws: { error in
            (error as? DecodedTableError)?.code == .unresolvedReference && "\(error)".contains("cycle") && "\(error)".contains("d/")
        }
        let alone = try DecodedTableDefinition(file: "d/c.json", data: c)
        #expect { try DecodeStage(definitions: [alone]) } throws: { error in
            "\(error)".contains("d/c.json") && "\(error)".contains("ref('base')")
        }
        // Given dependents first, the stage puts dependencies first.
        let stage = try DecodeStage(definitions: [alone, try DecodedTableDefinition(file: "d/base.json", data: base)])
        #expect(stage.definitions.map(\.tableName) == ["base", "c"] && stage.dependencies == [[], [0]] && stage.dependents == [[1], []])
        #expect(stage.fingerprints[0] == stage.definitions[0].fingerprint && stage.fingerprints[1] != stage.definitions[1].fingerprint)
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
        rows.field(Int64.min)
        rows.field(Int64(0))
        rows.field(Int64.max)
        rows.field(nil as Int64?)
        rows.endRow()
        #expect(String(buffer: rows.buffer) == "plain\t\\N\t-42\ta\\\\b\\tc\\nd\\re ü\n\n-9223372036854775808\t0\t9223372036854775807\t\\N\n")
        #expect(rows.rows == 3)
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

    @Test("a model worker reads BLOCKFLEET_PARSE_DIR at start: the shipped definitions add the erc1155_transfers model (Postgres); a Redshift warehouse with definitions starts when staging is S3 and a COPY role is set (without that model), and is refused naming the setting otherwise")
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
                                      "BLOCKFLEET_REDSHIFT_IAM_ROLE": "arn:aws:iam::123456789012:role/blockfleet-copy",
                                      "BLOCKFLEET_STAGING_URL": "s3://staging/eth"]) { $1 }
        let onRedshift = try WorkerApplicationConfiguration(environment: Environment(redshift), database: database)
        #expect(onRedshift.decodedTables?.definitions.count == 6 && onRedshift.warehouse?.dialect == .redshift)
        #expect(onRedshift.catalog?.model(named: ERC1155TransfersModel.name) == nil)
        // (A Redshift warehouse without BLOCKFLEET_REDSHIFT_IAM_ROLE is refused by its own configuration.)
        #expect {
            _ = try WorkerApplicationConfiguration(environment: Environment(redshift.merging(["BLOCKFLEET_STAGING_URL": "file:///tmp/bf-staging"]) { $1 }), database: database)
        } throws: { error in
            (error as? ConfigurationError)?.setting == "BLOCKFLEET_PARSE_DIR" && "\(error)".contains("reads S3")
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
