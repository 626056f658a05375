// Definition files read as they are: columns, warehouse types, cells of decoded rows, refusals.

import Foundation
import Testing
@testable import Shared

@Suite("Decoded table definitions")
struct DecodedTableDefinitionTests {
    static func word(_ value: UInt64) -> [UInt8] {
        [UInt8](repeating: 0, count: 24) + (0..<8).reversed().map { UInt8(truncatingIfNeeded: value >> UInt64($0 * 8)) }
    }

    static func address(_ byte: UInt8) -> [UInt8] {
        [UInt8](repeating: 0, count: 12) + [UInt8](repeating: byte, count: 20)
    }

    @Test("ERC-1155 TransferBatch: log columns, names, and a decoded row's cells")
    func transferBatch() throws {
        let definition = try AirflowDefinitions.definition("common/All_event_TransferBatch.json")
        #expect(definition.parserType == .log)
        #expect(definition.contracts == .all)
        #expect(definition.warehouseSchema == "common" && definition.warehouseTable == "all_event_transferbatch")
        #expect(definition.entry.signature == "TransferBatch(address,address,address,uint256[],uint256[])")
        #expect(definition.columns.map(\.name) == ["block_timestamp", "block_number", "transaction_hash", "log_index", "contract_address", "operator", "from", "to", "ids", "values"])
        #expect(definition.columns.map(\.type.postgres) == ["TIMESTAMP", "BIGINT", "TEXT", "BIGINT", "TEXT", "TEXT", "TEXT", "TEXT", "TEXT", "TEXT"])
        let data = Self.word(64) + Self.word(160) + Self.word(2) + Self.word(1) + Self.word(2) + Self.word(2) + Self.word(10) + Self.word(20)
        let cells = try definition.decodeLog(topics: [definition.entry.topic0, Self.address(0xAA), Self.address(0xBB), Self.address(0xCC)], data: data)
        #expect(cells == ["0x" + String(repeating: "aa", count: 20), "0x" + String(repeating: "bb", count: 20), "0x" + String(repeating: "cc", count: 20), #"["1","2"]"#, #"["10","20"]"#])
        // An ERC-20/721-style layout under another signature does not fit.
        #expect(throws: ABIDecodeError.self) { try definition.decodeLog(topics: [definition.entry.topic0, Self.address(0xAA), Self.address(0xBB)], data: data) }
    }

    @Test("a trace definition: trace columns, selector, a tuple argument as JSON text and as a RECORD")
    func traceDefinition() throws {
        let definition = try AirflowDefinitions.definition("uniswap/ExclusiveDutchOrderReactor_call_execute.json")
        #expect(definition.parserType == .trace)
        #expect(definition.columns.prefix(8).map(\.name) == ["block_timestamp", "block_number", "transaction_hash", "transaction_index", "trace_address", "to_address", "status", "error"])
        #expect(definition.columns.last?.type == .json)
        #expect(definition.columns.last?.type.postgres == "JSONB" && definition.columns.last?.type.redshift == "SUPER")
        let input = definition.entry.selector + Self.word(32) + Self.word(64) + Self.word(128) + Self.word(1) + [0xAB] + [UInt8](repeating: 0, count: 31) + Self.word(0)
        #expect(try definition.decodeCall(input: input) == [#"{"order":"0xab","sig":"0x"}"#])
        #expect(throws: ABIDecodeError.self) { try definition.decodeCall(input: Array(input.prefix(40))) }
    }

    @Test("every accepted corpus definition has a topic 0 or selector and maps each field to an input")
    func corpusShapes() throws {
        let catalog = try DecodedTableCatalog.load(directory: AirflowDefinitions.root)
        for definition in catalog.definitions {
            #expect(definition.fieldInputs.count == definition.schema.count)
            for (field, input) in zip(definition.schema, definition.fieldInputs) {
                #expect(definition.entry.inputs[input].name == field.name)
            }
            #expect(definition.fingerprint.count == 66)
        }
        let seaport = try #require(catalog.definition(dataset: "seaport", table: "SeaportV11_call_fulfillBasicOrder"))
        #expect(ABIHex.text(seaport.entry.selector) == "0xfb0f3ee1")
        let swap = try #require(catalog.definition(dataset: "uniswap", table: "UniswapV2Pair_event_Swap"))
        #expect(ABIHex.text(swap.entry.topic0) == "0xd78ad95fa46c994b6551d0da85fc275fe613ce37657fb8d5e3d130840159d822")
    }

    @Test("the fingerprint changes with the ABI, the schema or the filter, and only with them")
    func fingerprint() throws {
        let base = #"{"parser":{"type":"log","contract_address":null,"abi":{"type":"event","name":"E","inputs":[{"name":"a","type":"uint256","indexed":true}]}},"table":{"dataset_name":"d","table_name":"t","table_description":"x","schema":[{"name":"a","type":"STRING"}]}}"#
        let same = try Self.definition(base.replacingOccurrences(of: #""table_description":"x""#, with: #""table_description":"other""#))
        let variants = [
            base.replacingOccurrences(of: #""indexed":true"#, with: #""indexed":false"#),
            base.replacingOccurrences(of: #""type":"uint256""#, with: #""type":"uint128""#),
            base.replacingOccurrences(of: #""type":"STRING""#, with: #""type":"NUMERIC""#),
            base.replacingOccurrences(of: #""contract_address":null"#, with: #""contract_address":"0x00000000000000000000000000000000000000aa""#),
        ]
        let original = try Self.definition(base).fingerprint
        #expect(same.fingerprint == original)
        for variant in variants {
            #expect(try Self.definition(variant).fingerprint != original, "\(variant)")
        }
    }

    @Test("BigQuery types map to Postgres and Redshift types; unknown ones are nil")
    func typeMapping() {
        let cases: [(String, Bool, String, String)] = [
            ("STRING", false, "TEXT", "VARCHAR(65535)"), ("INT64", false, "BIGINT", "BIGINT"), ("INTEGER", false, "BIGINT", "BIGINT"),
            ("NUMERIC", false, "NUMERIC(78,0)", "DECIMAL(38,0)"), ("BIGNUMERIC", false, "NUMERIC(78,0)", "VARCHAR(80)"),
            ("FLOAT64", false, "DOUBLE PRECISION", "DOUBLE PRECISION"), ("BOOL", false, "BOOLEAN", "BOOLEAN"),
            ("TIMESTAMP", false, "TIMESTAMP", "TIMESTAMP"), ("RECORD", false, "JSONB", "SUPER"), ("STRING", true, "JSONB", "SUPER"),
        ]
        for (bigQuery, repeated, postgres, redshift) in cases {
            let type = DecodedColumnType(bigQueryType: bigQuery, repeated: repeated)
            #expect(type?.postgres == postgres && type?.redshift == redshift, "\(bigQuery)")
        }
        #expect(DecodedColumnType(bigQueryType: "GEOGRAPHY", repeated: false) == nil)
    }

    @Test("cells: values placed in typed columns, or the row does not fit")
    func cells() throws {
        let max = ABIValue.uint(ABIWord(limbs: (.max, .max, .max, .max)))
        let negative = ABIValue.int(magnitude: ABIWord(5), negative: true)
        #expect(try DecodedColumnType.text.cell(max, column: "v") == "115792089237316195423570985008687907853269984665640564039457584007913129639935")
        #expect(try DecodedColumnType.bigNumeric.cell(max, column: "v").count == 78)
        #expect(throws: ABIDecodeError.self) { try DecodedColumnType.numeric.cell(max, column: "v") }
        #expect(throws: ABIDecodeError.self) { try DecodedColumnType.integer.cell(max, column: "v") }
        #expect(try DecodedColumnType.integer.cell(negative, column: "v") == "-5")
        #expect(try DecodedColumnType.boolean.cell(.bool(true), column: "v") == "true")
        #expect(throws: ABIDecodeError.self) { try DecodedColumnType.boolean.cell(.uint(ABIWord(1)), column: "v") }
        #expect(try DecodedColumnType.timestamp.cell(.uint(ABIWord(1_438_269_988)), column: "t") == "2015-07-30 15:26:28")
        #expect(try DecodedColumnType.timestamp.cell(.uint(ABIWord(0)), column: "t") == "1970-01-01 00:00:00")
        #expect(try DecodedColumnType.timestamp.cell(negative, column: "t") == "1969-12-31 23:59:55")
        #expect(throws: ABIDecodeError.self) { try DecodedColumnType.timestamp.cell(max, column: "t") }
        #expect(try DecodedColumnType.json.cell(.string("a\"b"), column: "j") == #""a\"b""#)
        #expect(try DecodedColumnType.json.cell(.array([.bool(true), negative]), column: "j") == #"[true,"-5"]"#)
    }

    static func definition(_ json: String) throws -> DecodedTableDefinition {
        try DecodedTableDefinition(file: "x/y.json", data: Data(json.utf8))
    }

    @Test("malformed definitions are refused naming the file and what is wrong", arguments: [
        (#"{"parser":{"type":"log","abi":{"type":"event","name":"E","inputs":[]}}}"#, "missing 'table'"),
        (#"{"parser":{"type":"block","abi":{"type":"event","name":"E","inputs":[]}},"table":{"dataset_name":"d","table_name":"t","schema":[]}}"#, "parser.type 'block'"),
        (#"{"parser":{"type":"trace","abi":{"type":"event","name":"E","inputs":[]}},"table":{"dataset_name":"d","table_name":"t","schema":[]}}"#, "needs an ABI function"),
        (#"{"parser":{"type":"log","abi":{"type":"event","name":"E","inputs":[{"name":"a","type":"uint7"}]}},"table":{"dataset_name":"d","table_name":"t","schema":[]}}"#, "type 'uint7'"),
        (#"{"parser":{"type":"log","abi":{"type":"event","name":"E","inputs":[{"name":"a","type":"uint8"}]}},"table":{"dataset_name":"d","table_name":"t","schema":[{"name":"b","type":"STRING"}]}}"#, "'b' matches no input"),
        (#"{"parser":{"type":"log","abi":{"type":"event","name":"E","inputs":[{"name":"a","type":"uint8"}]}},"table":{"dataset_name":"d","table_name":"t","schema":[{"name":"a","type":"GEOGRAPHY"}]}}"#, "unsupported type GEOGRAPHY"),
        (#"{"parser":{"type":"log","abi":{"type":"event","name":"E","inputs":[{"name":"a","type":"uint8"}]}},"table":{"dataset_name":"d","table_name":"t","schema":[{"name":"a","type":"RECORD","fields":[]}]}}"#, "RECORD needs a tuple"),
        (#"{"parser":{"type":"log","abi":{"type":"event","name":"E","inputs":[{"name":"a","type":"uint8"}]}},"table":{"dataset_name":"d","table_name":"t","schema":[{"name":"a","type":"STRING","mode":"REPEATED"}]}}"#, "REPEATED needs an array"),
        (#"{"parser":{"type":"log","abi":{"type":"event","name":"E","inputs":[{"name":"log_index","type":"uint8"}]}},"table":{"dataset_name":"d","table_name":"t","schema":[{"name":"log_index","type":"STRING"}]}}"#, "clashes with the fixed column"),
        (#"{"parser":{"type":"log","abi":{"type":"event","name":"E","inputs":[]}},"table":{"dataset_name":"d","table_name":"t; DROP","schema":[]}}"#, "not a name"),
        (#"{"parser":{"type":"log","contract_address":"0x12","abi":{"type":"event","name":"E","inputs":[]}},"table":{"dataset_name":"d","table_name":"t","schema":[]}}"#, "not an address"),
        (#"{"parser":{"type":"log","abi":{"type":"event","anonymous":true,"name":"E","inputs":[]}},"table":{"dataset_name":"d","table_name":"t","schema":[]}}"#, "anonymous"),
    ])
    func refused(json: String, reason: String) {
        do {
            _ = try Self.definition(json)
            Issue.record("accepted")
        } catch let error as DecodedTableError {
            #expect(error.file == "x/y.json")
            #expect(error.description.contains(reason), "\(error)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
