// One pass over logs and traces: the index finds each row's candidate definitions.

import Foundation
import Testing
@testable import Shared

@Suite("Decode dispatch index")
struct DecodeDispatchIndexTests {
    static func definition(_ json: String) throws -> DecodedTableDefinition {
        try DecodedTableDefinition(file: "t.json", data: Data(json.utf8))
    }

    static func word(_ value: UInt8) -> [UInt8] { [UInt8](repeating: 0, count: 31) + [value] }

    @Test("logs by topic 0 (several tables may share one), anonymous events by topic count, calls by selector")
    func candidates() throws {
        let catalog = try DecodedTableCatalog.load(directory: AirflowDefinitions.root)
        let anonymous = try Self.definition(#"""
            {"parser":{"type":"log","contract_address":"0x00000000000000000000000000000000000000aa","abi":{"type":"event","anonymous":true,"name":"Note","inputs":[{"name":"a","type":"uint256","indexed":true},{"name":"b","type":"uint256","indexed":true}]}},
             "table":{"dataset_name":"d","table_name":"Note","schema":[{"name":"a","type":"STRING"}]}}
            """#)
        let definitions = catalog.definitions + [anonymous]
        let index = DecodeDispatchIndex(definitions)
        let transfer = Keccak256.hash("Transfer(address,address,uint256)")
        let hits = index.logCandidates(topics: [transfer, Self.word(1), Self.word(2)])
        let expected = definitions.indices.filter { definitions[$0].parserType == .log && !definitions[$0].entry.anonymous && definitions[$0].entry.topic0 == transfer }
        #expect(hits == expected)
        #expect(hits.count > 3)
        // Two topics and no match by topic 0: only the anonymous event with two indexed inputs.
        #expect(index.logCandidates(topics: [Self.word(9), Self.word(8)]) == [definitions.count - 1])
        #expect(index.logCandidates(topics: []).isEmpty)
        #expect(index.logCandidates(topics: [[1, 2, 3]]).isEmpty)
        let seaport = try #require(definitions.firstIndex { $0.tableName == "SeaportV11_call_fulfillBasicOrder" })
        #expect(index.traceCandidates(input: definitions[seaport].entry.selector + [0, 1, 2]) == [seaport])
        #expect(index.traceCandidates(input: [0xFB, 0x0F]).isEmpty)
        #expect(index.hasLogDefinitions && index.hasTraceDefinitions)
        #expect(!DecodeDispatchIndex([]).hasLogDefinitions)
    }

    @Test("every corpus definition is a candidate for a row carrying its topic 0 or selector")
    func completeness() throws {
        let catalog = try DecodedTableCatalog.load(directory: AirflowDefinitions.root)
        let index = DecodeDispatchIndex(catalog.definitions)
        for (position, definition) in catalog.definitions.enumerated() {
            switch definition.parserType {
            case .log:
                let topics = [definition.entry.topic0] + definition.entry.indexedInputs.map { _ in Self.word(1) }
                #expect(index.logCandidates(topics: topics).contains(position), "\(definition.tableName)")
            case .trace:
                #expect(index.traceCandidates(input: definition.entry.selector).contains(position), "\(definition.tableName)")
            }
        }
    }
}
