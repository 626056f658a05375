// The decoder and Keccak against eth-abi / eth-hash on seeded random types, values, logs and calls.

import Foundation
import TestSupport
import Testing
@testable import Shared

@Suite("ABI decoding against eth-abi")
struct ABIDifferentialTests {
    /// The reference cases from `eth_abi_reference.py`, or nil (with the reason printed) outside
    /// scripts/test, which sets BLOCKFLEET_ETH_ABI_PYTHON (scripts/eth-abi-venv installs it).
    static func reference(seed: Int, count: Int) async throws -> [String: Any]? {
        guard let python = ProcessInfo.processInfo.environment["BLOCKFLEET_ETH_ABI_PYTHON"], !python.isEmpty else {
            print("skipped: BLOCKFLEET_ETH_ABI_PYTHON is not set; scripts/test sets it (scripts/eth-abi-venv installs eth-abi)")
            return nil
        }
        let script = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("eth_abi_reference.py").path
        let result = try await ChildProcess.run(python, [script, String(seed), String(count)])
        #expect(result.status == 0, "eth_abi_reference.py failed for seed \(seed): \(result.stderrText)")
        return try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
    }

    /// JSON re-serialised with sorted keys, so equal trees give equal bytes.
    static func canonical(_ object: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .fragmentsAllowed]), as: UTF8.self)
    }

    static func canonical(json text: String) throws -> String {
        try canonical(try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]))
    }

    static func bytes(_ value: Any?) throws -> [UInt8] {
        let text = try #require(value as? String)
        return try #require(ABIHex.bytes(text))
    }

    static func types(_ value: Any?) throws -> [ABIType] {
        let texts = try #require(value as? [String])
        return try texts.map { try ABIType(parsing: $0) }
    }

    @Test("random types and values encoded by eth-abi decode to the same values", arguments: [1, 2, 3, 4])
    func values(seed: Int) async throws {
        guard let reference = try await Self.reference(seed: seed, count: 150) else { return }
        let cases = try #require(reference["values"] as? [[String: Any]])
        #expect(cases.count == 5 + 150) // the fixed edge cases, then the random ones
        for (index, item) in cases.enumerated() {
            let types = try Self.types(item["types"])
            let decoded = try ABIDecoder.decode(types, from: try Self.bytes(item["data"]))
            let expected = try Self.canonical(try #require(item["expected"]))
            #expect(try Self.canonical(json: ABIValue.array(decoded).jsonText) == expected,
                    "seed \(seed) case \(index): \(types.map(\.canonical))")
        }
    }

    @Test("random events (indexed, hashed and data inputs) decode as eth-abi encoded them", arguments: [11, 12, 13])
    func events(seed: Int) async throws {
        guard let reference = try await Self.reference(seed: seed, count: 120) else { return }
        for (index, item) in try #require(reference["events"] as? [[String: Any]]).enumerated() {
            let types = try Self.types(item["types"])
            let flags = try #require(item["indexed"] as? [Bool])
            let inputs = zip(types, flags).enumerated().map { ABIParameter(name: "p\($0)", type: $1.0, indexed: $1.1) }
            let entry = try ABIEntry(kind: .event, name: try #require(item["name"] as? String), inputs: inputs)
            let topics = try #require(item["topics"] as? [String]).compactMap { ABIHex.bytes($0) }
            #expect(entry.topic0 == topics[0], "seed \(seed) event \(index): topic 0 differs from eth_hash")
            let decoded = try entry.decodeLog(topics: topics, data: try Self.bytes(item["data"]))
            #expect(try Self.canonical(json: ABIValue.array(decoded).jsonText) == Self.canonical(try #require(item["expected"])),
                    "seed \(seed) event \(index): \(entry.signature)")
        }
    }

    @Test("random calls decode after their selector, which matches eth_hash's", arguments: [21, 22, 23])
    func calls(seed: Int) async throws {
        guard let reference = try await Self.reference(seed: seed, count: 120) else { return }
        for (index, item) in try #require(reference["calls"] as? [[String: Any]]).enumerated() {
            let types = try Self.types(item["types"])
            let inputs = types.enumerated().map { ABIParameter(name: "a\($0)", type: $1) }
            let entry = try ABIEntry(kind: .function, name: try #require(item["name"] as? String), inputs: inputs)
            #expect(ABIHex.text(entry.selector) == item["selector"] as? String, "seed \(seed) call \(index)")
            let decoded = try entry.decodeCall(input: try Self.bytes(item["input"]))
            #expect(try Self.canonical(json: ABIValue.array(decoded).jsonText) == Self.canonical(try #require(item["expected"])),
                    "seed \(seed) call \(index): \(entry.signature)")
        }
    }

    @Test("Keccak-256 of random bytes and signatures equals eth_hash's")
    func keccak() async throws {
        guard let reference = try await Self.reference(seed: 31, count: 200) else { return }
        let hashes = try #require(reference["hashes"] as? [[String: Any]])
        #expect(hashes.count == 400)
        for item in hashes {
            let input = try Self.bytes(item["input"])
            #expect(ABIHex.text(Keccak256.hash(input)) == item["keccak"] as? String, "input of \(input.count) bytes")
        }
    }
}
