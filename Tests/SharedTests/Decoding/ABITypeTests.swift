// Solidity types from ABI JSON: parsing, canonical text, signatures, topic 0 and selectors.

import Foundation
import Testing
@testable import Shared

@Suite("ABI types")
struct ABITypeTests {
    @Test("elementary, array and inline tuple types read back as their canonical text")
    func canonicalRoundTrip() throws {
        let texts = [
            "uint8", "uint256", "int8", "int24", "int256", "address", "bool", "bytes1", "bytes32", "bytes", "string",
            "uint256[]", "uint256[3]", "bytes32[][2]", "(uint256,address)", "(uint256,(bytes,string)[])[2][]", "address[1][]",
        ]
        for text in texts {
            #expect(try ABIType(parsing: text).canonical == text)
        }
        #expect(try ABIType(parsing: "uint") == .uint(bits: 256))
        #expect(try ABIType(parsing: "int[]") == .array(.int(bits: 256), length: nil))
        #expect(try ABIType(parsing: "uint256[2][]") == .array(.array(.uint(bits: 256), length: 2), length: nil))
    }

    @Test("tuples take their components, arrays of tuples nest, names are kept")
    func tupleComponents() throws {
        let json = ABIParameterJSON(name: "orders", type: "tuple[][]", components: [
            ABIParameterJSON(name: "offerer", type: "address"),
            ABIParameterJSON(name: "items", type: "tuple[]", components: [
                ABIParameterJSON(name: "token", type: "address"), ABIParameterJSON(name: "amount", type: "uint256"),
            ]),
        ])
        let type = try json.abiType()
        #expect(type.canonical == "(address,(address,uint256)[])[][]")
        guard case .array(.array(.tuple(let members), nil), nil) = type else { Issue.record("shape \(type)"); return }
        #expect(members.map(\.name) == ["offerer", "items"])
    }

    @Test("static and dynamic sizes follow the head/tail rules")
    func sizes() throws {
        #expect(try ABIType(parsing: "uint256[3]").headSize == 96)
        #expect(try ABIType(parsing: "(uint8,bytes32)[2]").headSize == 128)
        #expect(try ABIType(parsing: "(uint8,bytes)[2]").headSize == 32)
        #expect(try ABIType(parsing: "string[2]").isDynamic)
        #expect(!(try ABIType(parsing: "address[2][3]").isDynamic))
    }

    @Test("malformed types are refused with an error naming the type", arguments: [
        "uint7", "uint264", "uint0", "bytes0", "bytes33", "fixed128x18", "foo", "uint256[", "uint256[0]", "uint256[x]",
        "(uint256", "()", "tuple", "", "uint256]", "uint08", "(uint256,,bool)",
    ])
    func malformed(text: String) {
        do {
            _ = try ABIType(parsing: text)
            Issue.record("'\(text)' was accepted")
        } catch let error as ABITypeError {
            #expect(error.code == .invalidType)
            #expect(error.subject == text)
            #expect(error.description.contains("'\(text)'"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("oversized fixed arrays and deep nesting are refused")
    func bounds() {
        #expect(throws: ABITypeError.self) { try ABIType(parsing: "uint256[65537]") }
        #expect(throws: ABITypeError.self) { try ABIType(parsing: "uint256[65536][65536]") }
        #expect(throws: ABITypeError.self) { try ABIType(parsing: "uint8" + String(repeating: "[]", count: 40)) }
    }

    @Test("event signature, topic 0 and function selector")
    func signatures() throws {
        let transfer = try ABIEntry(kind: .event, name: "Transfer", inputs: [
            ABIParameter(name: "from", type: .address, indexed: true),
            ABIParameter(name: "to", type: .address, indexed: true),
            ABIParameter(name: "value", type: .uint(bits: 256)),
        ])
        #expect(transfer.signature == "Transfer(address,address,uint256)")
        #expect(ABIHex.text(transfer.topic0) == "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef")
        let approve = try ABIEntry(kind: .function, name: "approve", inputs: [
            ABIParameter(name: "spender", type: .address), ABIParameter(name: "amount", type: .uint(bits: 256)),
        ])
        #expect(ABIHex.text(approve.selector) == "0x095ea7b3")
        let json = #"{"type":"function","name":"fulfillOrders","inputs":[{"name":"o","type":"tuple[]","components":[{"name":"a","type":"address"},{"name":"b","type":"bytes"}]},{"name":"k","type":"bytes32"}]}"#
        let entry = try ABIEntry(json: try JSONDecoder().decode(ABIEntryJSON.self, from: Data(json.utf8)))
        #expect(entry.signature == "fulfillOrders((address,bytes)[],bytes32)")
        #expect(entry.selector == Array(Keccak256.hash("fulfillOrders((address,bytes)[],bytes32)")[0..<4]))
    }

    @Test("malformed entries: too many indexed inputs, indexed function inputs, bad names and kinds")
    func malformedEntries() throws {
        let indexed = (0..<4).map { ABIParameter(name: "a\($0)", type: .address, indexed: true) }
        #expect(throws: ABITypeError.self) { try ABIEntry(kind: .event, name: "E", inputs: indexed) }
        #expect(try ABIEntry(kind: .event, name: "E", inputs: indexed, anonymous: true).indexedInputs.count == 4)
        #expect(throws: ABITypeError.self) { try ABIEntry(kind: .function, name: "f", inputs: [indexed[0]]) }
        #expect(throws: ABITypeError.self) { try ABIEntry(kind: .event, name: "1E", inputs: []) }
        #expect(throws: ABITypeError.self) { try ABIEntry(json: ABIEntryJSON(type: "constructor", name: "x", inputs: [])) }
        #expect(throws: ABITypeError.self) { try ABIEntry(json: ABIEntryJSON(type: "event", name: "x", inputs: nil)) }
    }
}
