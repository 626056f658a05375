// ReplayFileNameTests: request ↔ fixture file name mapping, over every recorded fixture file.

import Foundation
import Testing
@testable import DevChain

@Suite("replay file names")
struct ReplayFileNameTests {
    /// The call ethereum-etl's jobs make for a recorded key (checksummed and mixed-case
    /// inputs where the job would send them, to prove the lower-casing).
    static func request(forKey key: String) -> (method: String, params: [JSONValue])? {
        let parts = key.split(separator: "_", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 3 else { return nil }
        let method = parts[0] + "_" + parts[1]
        let rest = Array(parts.dropFirst(2))
        switch method {
        case "eth_getBlockByNumber": return (method, [.string(rest[0]), .bool(rest[1] == "true")])
        case "eth_getCode": return (method, [.string(rest[0].uppercased().replacingOccurrences(of: "0X", with: "0x")), .string(rest[1])])
        case "eth_getTransactionReceipt", "eth_getFilterLogs", "eth_uninstallFilter", "trace_block":
            return (method, [.string(rest[0])])
        case "eth_chainId": return (method, [])
        case "eth_newFilter":
            return (method, [.object([
                .init(key: "toBlock", value: .string(rest[3])),
                .init(key: "topics", value: .array([.string(rest[5])])),
                .init(key: "fromBlock", value: .string(rest[1])),
            ])])
        case "eth_call":
            return (method, [.object([
                .init(key: "to", value: .string(rest[3].uppercased().replacingOccurrences(of: "0X", with: "0x"))),
                .init(key: "data", value: .string(rest[1])),
            ]), .string(rest[4])])
        case "debug_traceBlockByNumber":
            return (method, [.string(rest[0]), .object([.init(key: "tracer", value: .string("callTracer"))])])
        default: return nil
        }
    }

    @Test("every recorded fixture file name is what its request maps to")
    func everyFixtureRoundTrips() throws {
        let dirs = FixtureLocator.caseDirectories()
        try #require(!dirs.isEmpty, "no fixtures under \(FixtureLocator.ethereumETLRoot)")
        var checked = 0
        for dir in dirs {
            for name in try FileManager.default.contentsOfDirectory(atPath: dir) where name.hasPrefix("web3_response.") {
                let key = try #require(ReplayFileName.key(ofFileName: name))
                let call = try #require(Self.request(forKey: key), "no request shape for \(name)")
                #expect(ReplayFileName.fileName(method: call.method, params: call.params) == name)
                checked += 1
            }
        }
        #expect(checked >= 30)
    }

    @Test("params follow Python's str().lower(), dicts sorted by key")
    func pythonRules() {
        #expect(ReplayFileName.key(method: "eth_getBlockByNumber", params: [.string("0xB872"), .bool(true)]) == "eth_getBlockByNumber_0xb872_true")
        #expect(ReplayFileName.key(method: "eth_chainId", params: []) == "eth_chainId_")
        #expect(ReplayFileName.key(method: "x_y", params: [.null, .number("12"), .bool(false)]) == "x_y_none_12_false")
        let filter = JSONValue.object([.init(key: "topics", value: .array([.string("0xAB"), .null])), .init(key: "fromBlock", value: .string("0x1"))])
        #expect(ReplayFileName.paramString(filter) == "fromBlock_0x1_topics_0xab_none")
    }

    @Test("the method of a key is its first two underscore parts")
    func methodOfKey() {
        #expect(ReplayFileName.method(ofKey: "debug_traceBlockByNumber_0x1_tracer_calltracer") == "debug_traceBlockByNumber")
        #expect(ReplayFileName.method(ofKey: "eth_chainId_") == "eth_chainId")
        #expect(ReplayFileName.paramsText(ofKey: "eth_call_data_0x1_to_0x2_latest") == "data_0x1_to_0x2_latest")
        #expect(ReplayFileName.key(ofFileName: "expected_blocks.csv") == nil)
    }
}
