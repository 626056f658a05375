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

    @Test("definitions with the same ABI layout and fields decode a log once (input names aside): one memo group, the first result (cells or error) reused for the row, forgotten at reset")
    func memoGroups() throws {
        let catalog = try DecodedTableCatalog.load(directory: AirflowDefinitions.root)
        let definitions = catalog.definitions
        var memo = DecodedCellsMemo(definitions)
        for (a, b) in zip(definitions.indices, definitions.indices.dropFirst()) {
            let (x, y) = (definitions[a], definitions[b])
            let same = x.parserType == y.parserType && x.entry.signature == y.entry.signature && x.entry.anonymous == y.entry.anonymous
                && x.entry.inputs.map(\.indexed) == y.entry.inputs.map(\.indexed) && x.fieldTypes == y.fieldTypes && x.fieldInputs == y.fieldInputs
                && x.entry.inputs.map { DecodedTableDefinition.componentNames($0.type) } == y.entry.inputs.map { DecodedTableDefinition.componentNames($0.type) }
            #expect((memo.groups[a] == memo.groups[b]) == same, "\(definitions[a].file) and \(definitions[b].file)")
        }
        // The corpus enables the ERC-20 Transfer and Approval in several datasets: fewer groups than definitions.
        #expect(memo.groupCount < definitions.count)
        let transfer = Keccak256.hash("Transfer(address,address,uint256)")
        // ERC-20 transfers in aave_v3_prime (three tokens) and uniswap (V1 and V2 pairs), named `from`/`_from`.
        let transfers = definitions.indices.filter { definitions[$0].parserType == .log && definitions[$0].entry.topic0 == transfer }
        let sharing = Dictionary(grouping: transfers) { memo.groups[$0] }.values.max { $0.count < $1.count } ?? []
        #expect(sharing.count >= 5)
        #expect(Set(sharing.map { definitions[$0].entry.inputs[0].name }) == ["from", "_from"])
        var calls = 0
        for position in sharing {
            let cells = memo.cells(position) { calls += 1; return ["\(calls)"] }
            #expect((try? cells.get()) == ["1"])
        }
        #expect(calls == 1)
        memo.reset()
        _ = memo.cells(sharing[0]) { calls += 1; throw ABIDecodeError.doesNotFit("test") }
        let again = memo.cells(sharing[1]) { calls += 1; return [] }
        #expect(calls == 2)
        #expect(throws: ABIDecodeError.self) { try again.get() }
    }

    @Test("a log's comma-joined topics as bytes: none for NULL or empty, an empty element for a topic that is not hex")
    func topicsText() {
        let a = String(repeating: "ab", count: 32), b = String(repeating: "0F", count: 32)
        #expect(DecodeStage.topics(nil).isEmpty)
        #expect(DecodeStage.topics("").isEmpty)
        #expect(DecodeStage.topics("0x" + a) == [[UInt8](repeating: 0xAB, count: 32)])
        #expect(DecodeStage.topics("0x\(a),0x\(b)") == [[UInt8](repeating: 0xAB, count: 32), [UInt8](repeating: 0x0F, count: 32)])
        #expect(DecodeStage.topics("0x\(a),zz,") == [[UInt8](repeating: 0xAB, count: 32), [], []])
    }
}
