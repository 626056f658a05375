// The fast batch decode against JSONDecoder: every fixture and many odd or malformed bodies, same outcome.

import Foundation
import Testing
@testable import Shared

@Suite("fast batch decoding matches JSONDecoder")
struct RPCBatchFastDecodingTests {
    /// Today's transport path: JSONDecoder, then the error named by the failing element's block.
    static func old<T: FastJSONDecodable & Equatable>(_ data: Data, _ type: T.Type, blocks: [UInt64?]) -> Result<[RPCResponse<T>], ExportError> {
        do {
            return .success(try JSONDecoder().decode([RPCResponse<T>].self, from: data))
        } catch {
            var block: UInt64?
            if let decoding = error as? DecodingError, let index = RPCDecoding.codingPath(decoding)?.first?.intValue,
               blocks.indices.contains(index) {
                block = blocks[index]
            }
            return .failure(RPCDecoding.exportError(error, block: block, dropping: nil))
        }
    }

    static func new<T: FastJSONDecodable & Equatable>(_ data: Data, _ type: T.Type, blocks: [UInt64?]) -> Result<[RPCResponse<T>], ExportError> {
        do throws(ExportError) {
            return .success(try RPCBatchDecoding.decode(data, as: type, blocks: blocks))
        } catch {
            return .failure(error)
        }
    }

    /// Both decoders give the same responses or the same error (code, block, field and message).
    /// `fast` says whether the fast read must handle the body itself (not fall back).
    @discardableResult
    static func same<T: FastJSONDecodable & Equatable>(_ data: Data, _ type: T.Type, blocks: [UInt64?] = [10, 11, 12],
                                                       fast: Bool? = nil, sourceLocation: SourceLocation = #_sourceLocation) -> Result<[RPCResponse<T>], ExportError> {
        let expected = old(data, type, blocks: blocks)
        let actual = new(data, type, blocks: blocks)
        #expect(expected == actual, "\(String(decoding: data.prefix(300), as: UTF8.self))", sourceLocation: sourceLocation)
        if let fast {
            #expect((RPCBatchDecoding.fastDecode(data, as: type) != nil) == fast, "fast path", sourceLocation: sourceLocation)
        }
        if case .failure = expected {
            // The fast read must never accept what JSONDecoder rejects.
            #expect(RPCBatchDecoding.fastDecode(data, as: type) == nil, sourceLocation: sourceLocation)
        }
        return actual
    }

    static func batch(_ elements: [String]) -> Data { Data(("[" + elements.joined(separator: ",") + "]").utf8) }

    static func fixtureText(_ job: String, _ name: String, _ file: String) throws -> String {
        try FixtureFiles.text(job, name, file)
    }

    static let blockFixtures = [
        ("test_export_blocks_job", "blocks_with_transactions", "web3_response.eth_getBlockByNumber_0xb872_true.json"),
        ("test_export_blocks_job", "blocks_with_transactions", "web3_response.eth_getBlockByNumber_0xb873_true.json"),
        ("test_export_blocks_job", "block_with_logs", "web3_response.eth_getBlockByNumber_0x76250_true.json"),
        ("test_export_blocks_job", "block_without_transactions", "web3_response.eth_getBlockByNumber_0x0_true.json"),
    ]

    /// A batch of two fixture blocks whose second block (47219) is edited.
    static func blockBatch(_ edit: (inout [String: Any]) -> Void) throws -> Data {
        try RPCBatchDecodingTests.batch(edit)
    }

    @Test("every recorded fixture response decodes the same, on the fast path")
    func fixtures() throws {
        var blocks: [String] = []
        for (job, name, file) in Self.blockFixtures {
            let text = try Self.fixtureText(job, name, file)
            blocks.append(text)
            let one = Self.same(Self.batch([text]), RPCBlock.self, fast: true)
            #expect((try? one.get())?.first?.result != nil)
        }
        let all = Self.same(Self.batch(blocks), RPCBlock.self, fast: true)
        #expect((try? all.get())?.count == 4)

        let folder = FixtureFiles.root.appendingPathComponent("test_export_receipts_job/receipts_with_logs")
        let receipts = try FixtureFiles.responses("test_export_receipts_job", "receipts_with_logs", prefix: "web3_response.eth_getTransactionReceipt")
        #expect(receipts.count == 4, "\(folder.path)")
        let receiptTexts = receipts.map { String(decoding: $0, as: UTF8.self) }
        let decoded = Self.same(Self.batch(receiptTexts), RPCReceipt.self, fast: true)
        #expect((try? decoded.get())?.compactMap(\.result).count == 4)

        let logs = try Self.fixtureText("test_export_token_transfers_job", "block_with_transfers", "web3_response.eth_getFilterLogs_0x0.json")
        let decodedLogs = Self.same(Self.batch([logs, logs]), [RPCLog].self, fast: true)
        #expect((try? decodedLogs.get())?.first?.result?.isEmpty == false)
        let filter = try FixtureFiles.responses("test_export_token_transfers_job", "block_with_transfers", prefix: "web3_response.eth_newFilter")
        Self.same(Self.batch(filter.map { String(decoding: $0, as: UTF8.self) }), String.self, fast: true)
        // `true` is not a String result: both refuse it alike.
        let uninstall = try Self.fixtureText("test_export_token_transfers_job", "block_with_transfers", "web3_response.eth_uninstallFilter_0x0.json")
        let refused = Self.same(Self.batch([uninstall]), String.self, fast: false)
        #expect((try? refused.get()) == nil)
    }

    @Test("blocks with transaction hashes, receipt lists and block receipts decode the same")
    func otherShapes() throws {
        let hashes = try Self.blockBatch { block in
            let full = block["transactions"] as? [[String: Any]] ?? []
            block["transactions"] = full.compactMap { $0["hash"] }
        }
        let decoded = Self.same(hashes, RPCBlock.self, fast: true)
        if case .hashes(let list) = try #require(try? decoded.get()).last?.result?.transactions {
            #expect(!list.isEmpty)
        } else {
            Issue.record("expected transaction hashes")
        }
        let empty = try Self.blockBatch { $0["transactions"] = [] as [Any] }
        let emptyDecoded = Self.same(empty, RPCBlock.self, fast: true)
        #expect((try? emptyDecoded.get())?.last?.result?.transactions == .hashes([]))

        let receipts = try FixtureFiles.responses("test_export_receipts_job", "receipts_with_logs", prefix: "web3_response.eth_getTransactionReceipt")
        let results = try receipts.map { data -> Any in
            let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
            return object["result"] as Any
        }
        let blockReceipts = try JSONSerialization.data(withJSONObject: [
            ["jsonrpc": "2.0", "id": 0, "result": results],
            ["jsonrpc": "2.0", "id": 1, "result": NSNull()],
            ["jsonrpc": "2.0", "id": 2, "error": ["code": -32000, "message": "header not found", "data": ["x": [1, 2.5, true]]]],
        ] as [Any])
        let decodedReceipts = Self.same(blockReceipts, [RPCReceipt].self, fast: true)
        let responses = try #require(try? decodedReceipts.get())
        #expect(responses.map(\.id) == ["0", "1", "2"])
        #expect(responses[0].result?.count == 4 && responses[1].result == nil)
        #expect(responses[2].error == RPCErrorObject(code: -32000, message: "header not found"))
    }

    @Test("ids, escapes, white space, nulls and unknown keys read as JSONDecoder reads them")
    func oddButValid() throws {
        let log = #"{"logIndex":"0x0","transactionHash":"0x1","transactionIndex":"0x2","blockHash":"0x3","blockNumber":"0x4","address":"0x5","data":"0x","topics":[]}"#
        let ids = ["1", "\"a\"", "null", "true", "false", "{}", "[1,{\"a\":[]}]", "-0", "-17", "9223372036854775807", "-9223372036854775808",
                   "9223372036854775808", "1.0", "1.5", "1e2", "0.0", "\"\\u0031\"", "\"\""]
        for id in ids {
            Self.same(Self.batch([#"{"jsonrpc":"2.0","id":\#(id),"result":[\#(log)]}"#]), [RPCLog].self)
            Self.same(Self.batch([#"{"result":"x","id":\#(id)}"#]), String.self)
        }
        #expect((try? Self.new(Self.batch([#"{"id":42,"result":"x"}"#]), String.self, blocks: []).get())?.first?.id == "42")
        let strings = [#""plain""#, #""caf\u00e9 \u00E9""#, #""\ud83d\ude00 and 😀""#, #""a\"b\\c\/d\b\f\n\r\t""#, #""é""#, #""\u0000""#,
                       #""\ud83d""#, #""\ude00x""#, #""\ud83d\u0041""#, #""\x""#, #""\u12""#, #""\u12G4""#, "\"tab\there\"", "\"\u{7F}\""]
        for string in strings {
            Self.same(Self.batch([#"{"id":1,"result":\#(string)}"#]), String.self)
            Self.same(Self.batch([#"{"id":1,"result":[{"logIndex":\#(string),"transactionHash":"0x1","transactionIndex":"0x2","blockHash":"0x3","blockNumber":"0x4","address":"0x5","data":"0x","topics":[\#(string)]}]}"#]), [RPCLog].self)
        }
        Self.same(Data(" \n\t\r[ { \"id\" : 1 , \"result\" : \"x\" } , {\"id\":2,\"result\":null}\r\n] \n".utf8), String.self, fast: true)
        Self.same(Self.batch([]), String.self, fast: true)
        Self.same(Self.batch([#"{}"#, #"{"id":1}"#, #"{"id":1,"error":null,"result":null}"#]), String.self, fast: true)
        Self.same(Self.batch([#"{"id":1,"extra":{"deep":[[[{"a":null}]]],"n":-1.5e-3,"t":true},"result":"x","more":[]}"#]), String.self, fast: true)
        Self.same(Self.batch([#"{"id":1,"result":"x","error":{"code":-32000,"message":"m","data":"0x"}}"#]), String.self, fast: true)
        for code in ["1.5", "1e3", "\"1\"", "null", "99999999999999999999", "-1"] {
            Self.same(Self.batch([#"{"id":1,"error":{"code":\#(code),"message":"m"}}"#]), String.self)
        }
        // Duplicate keys: whatever JSONDecoder makes of them, the batch decode makes the same.
        Self.same(Self.batch([#"{"id":1,"result":"x","result":"y"}"#]), String.self)
        Self.same(Self.batch([#"{"id":1,"id":2,"result":"x"}"#]), String.self)
        Self.same(Self.batch([#"{"id":1,"result":[{"logIndex":"0x0","logIndex":"0x9","transactionHash":"0x1","transactionIndex":"0x2","blockHash":"0x3","blockNumber":"0x4","address":"0x5","data":"0x","topics":[]}]}"#]), [RPCLog].self)
        Self.same(Self.batch([#"{"id":1,"unknown":1,"unknown":2,"result":"x"}"#]), String.self)
        // Escaped keys name the same fields.
        Self.same(Self.batch([#"{"\u0069d":1,"r\u0065sult":"x"}"#]), String.self)
        Self.same(Data([0xEF, 0xBB, 0xBF] + Array(#"[{"id":1,"result":"x"}]"#.utf8)), String.self)
    }

    @Test("malformed blocks fail alike, naming block and field")
    func malformedBlocks() throws {
        let blocks: [UInt64?] = [47218, 47219]
        let edits: [(String, (inout [String: Any]) -> Void)] = [
            ("hash missing", { $0.removeValue(forKey: "hash") }),
            ("gasUsed null", { $0["gasUsed"] = NSNull() }),
            ("timestamp a number", { $0["timestamp"] = 1446561880 }),
            ("transactions null", { $0["transactions"] = NSNull() }),
            ("transactions missing", { $0.removeValue(forKey: "transactions") }),
            ("transactions an object", { $0["transactions"] = ["a": 1] }),
            ("hashes and objects mixed", { block in
                var list = block["transactions"] as? [Any] ?? []
                list.insert("0xabc", at: 0)
                block["transactions"] = list
            }),
            ("objects then a hash", { block in
                var list = block["transactions"] as? [Any] ?? []
                list.append("0xabc")
                block["transactions"] = list
            }),
            ("transaction from missing", { FixtureEdits.editTransaction(1, in: &$0) { $0.removeValue(forKey: "from") } }),
            ("transaction gas null", { FixtureEdits.editTransaction(0, in: &$0) { $0["gas"] = NSNull() } }),
            ("transaction value a number", { FixtureEdits.editTransaction(1, in: &$0) { $0["value"] = 12 } }),
            ("transaction to a number", { FixtureEdits.editTransaction(1, in: &$0) { $0["to"] = 0 } }),
            ("blob hashes not strings", { FixtureEdits.editTransaction(0, in: &$0) { $0["blobVersionedHashes"] = [1] } }),
            ("withdrawal amount missing", { $0["withdrawals"] = [["index": "0x1", "validatorIndex": "0x2", "address": "0x3"]] }),
            ("withdrawals an object", { $0["withdrawals"] = ["index": "0x1"] }),
            ("baseFee a bool", { $0["baseFeePerGas"] = true }),
            ("result a string", { $0 = [:]; $0["number"] = ["x"] }),
        ]
        for (label, edit) in edits {
            let data = try Self.blockBatch(edit)
            let outcome = Self.same(data, RPCBlock.self, blocks: blocks)
            if case .success = outcome { Issue.record("\(label): expected a failure") }
        }
        let missing = Self.new(try Self.blockBatch { FixtureEdits.editTransaction(1, in: &$0) { $0.removeValue(forKey: "from") } }, RPCBlock.self, blocks: blocks)
        guard case .failure(let error) = missing else { Issue.record("expected a failure"); return }
        #expect(error.code == .missingField && error.blockNumber == 47219 && error.field == "[1].result.transactions[1].from")
        let wrong = Self.new(try Self.blockBatch { $0["timestamp"] = 5 }, RPCBlock.self, blocks: blocks)
        guard case .failure(let typeError) = wrong else { Issue.record("expected a failure"); return }
        #expect(typeError.code == .malformedJSON && typeError.blockNumber == 47219 && typeError.field == "[1].result.timestamp")
    }

    @Test("malformed receipts and logs fail alike")
    func malformedReceipts() throws {
        let receipts = try FixtureFiles.responses("test_export_receipts_job", "receipts_with_logs", prefix: "web3_response.eth_getTransactionReceipt")
        let results = try receipts.map { data -> [String: Any] in
            let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
            return object["result"] as? [String: Any] ?? [:]
        }
        let edits: [(inout [[String: Any]]) -> Void] = [
            { $0[1].removeValue(forKey: "blockHash") },
            { $0[0]["logs"] = NSNull() },
            { $0[2]["status"] = 1 },
            { receipts in
                var logs = receipts[3]["logs"] as? [[String: Any]] ?? []
                logs[0].removeValue(forKey: "blockHash")
                receipts[3]["logs"] = logs
            },
            { receipts in
                var logs = receipts[3]["logs"] as? [[String: Any]] ?? []
                logs[0]["topics"] = ["0x1", NSNull()]
                receipts[3]["logs"] = logs
            },
        ]
        for edit in edits {
            var edited = results
            edit(&edited)
            let data = try JSONSerialization.data(withJSONObject: [
                ["jsonrpc": "2.0", "id": 0, "result": results], ["jsonrpc": "2.0", "id": 1, "result": edited],
            ] as [Any])
            let outcome = Self.same(data, [RPCReceipt].self, blocks: [483920, 483921])
            guard case .failure(let error) = outcome else { Issue.record("expected a failure"); continue }
            #expect(error.blockNumber == 483921 && error.field?.hasPrefix("[1].result[") == true)
        }
        var edited = results
        var logs = edited[3]["logs"] as? [[String: Any]] ?? []
        logs[0].removeValue(forKey: "blockHash")
        edited[3]["logs"] = logs
        let data = try JSONSerialization.data(withJSONObject: [["jsonrpc": "2.0", "id": 0, "result": edited]] as [Any])
        guard case .failure(let error) = Self.new(data, [RPCReceipt].self, blocks: [483920]) else { Issue.record("expected a failure"); return }
        #expect(error.code == .missingField && error.field == "[0].result[3].logs[0].blockHash" && error.blockNumber == 483920)
    }

    @Test("bodies that are not JSON, or not a batch, fail alike")
    func badJSON() throws {
        let good = #"{"jsonrpc":"2.0","id":0,"result":"0x1"}"#
        let bodies = ["", " ", "<html>", "[", "]", "[,]", "[\(good),]", "[\(good)] x", "[\(good)][]", "{\"id\":1,\"result\":\"x\"}", "\"x\"", "null",
                      "[\(good),,\(good)]", "[{\"id\":0,\"result\":\"0x1\",}]", "[{\"id\":0 \"result\":\"0x1\"}]", "[{\"id\":0,\"result\":\"0x1\"]",
                      "[{id:0}]", "[{\"id\":01,\"result\":\"x\"}]", "[{\"id\":-,\"result\":\"x\"}]", "[{\"id\":1.,\"result\":\"x\"}]",
                      "[{\"id\":1e,\"result\":\"x\"}]", "[{\"id\":.5,\"result\":\"x\"}]", "[{\"id\":+1,\"result\":\"x\"}]",
                      "[{\"id\":1,\"result\":\"x\",\"e\":tru}]", "[{\"id\":1,\"result\":\"x\",\"e\":nul}]", "[{\"id\":1,\"result\":\"x\",\"e\":NaN}]",
                      "[{\"id\":1,\"result\":\"x\",\"e\":[1 2]}]", "[{\"id\":1,\"result\":\"x\",\"e\":{\"a\"}}]", "[{\"id\":1,\"result\":\"unterminated}]",
                      "[{\"id\":1,\"result\":\"a\nb\"}]", "[1]", "[null]", "[\"x\"]", "[[]]", "[{\"id\":1,\"result\":nullx}]",
                      String(repeating: "[", count: 600) + String(repeating: "]", count: 600),
                      "[{\"id\":1,\"result\":\"x\",\"e\":" + String(repeating: "[", count: 300) + String(repeating: "]", count: 300) + "}]"]
        for body in bodies {
            Self.same(Data(body.utf8), String.self)
            Self.same(Data(body.utf8), RPCBlock.self)
        }
        // Invalid UTF-8 inside a string and in a skipped value.
        Self.same(Data(Array(#"[{"id":1,"result":""#.utf8) + [0xC3, 0x28] + Array(#""}]"#.utf8)), String.self)
        Self.same(Data(Array(#"[{"id":1,"x":""#.utf8) + [0xFF] + Array(#"","result":"y"}]"#.utf8)), String.self)
        let bad = Self.new(Data("<html>".utf8), RPCBlock.self, blocks: [5])
        guard case .failure(let error) = bad else { Issue.record("expected a failure"); return }
        #expect(error.code == .malformedJSON && error.field == nil)
    }

    /// The transport calls with a generic `T: Decodable`; the fast read must still be found.
    static func viaGenericCaller<T: Decodable & Sendable>(_ data: Data, _ type: T.Type) throws(ExportError) -> [RPCResponse<T>] {
        try RPCBatchDecoding.decode(data, as: type, blocks: [1])
    }

    @Test("callers with a plain Decodable result get the same answers, fast or not")
    func genericCallers() throws {
        let block = try Self.fixtureText("test_export_blocks_job", "block_with_logs", "web3_response.eth_getBlockByNumber_0x76250_true.json")
        let data = Self.batch([block, #"{"id":"x","result":null}"#])
        #expect(try Self.viaGenericCaller(data, RPCBlock.self) == (try JSONDecoder().decode([RPCResponse<RPCBlock>].self, from: data)))
        // A result type without a fast read goes to JSONDecoder, errors included.
        let flags = Self.batch([#"{"id":1,"result":true}"#, #"{"id":2,"result":null}"#])
        let decoded = try Self.viaGenericCaller(flags, Bool.self)
        #expect(decoded.map(\.result) == [true, nil] && decoded.map(\.id) == ["1", "2"])
        let error = try #require(throws: ExportError.self) { try Self.viaGenericCaller(Self.batch([#"{"id":1,"result":"5"}"#]), Bool.self) }
        #expect(error.code == .malformedJSON && error.field == "[0].result" && error.blockNumber == 1)
    }

    /// The recorded trace answers of ethereum-etl's five trace cases, each checked to decode on
    /// the fast path as JSONDecoder decodes it; returns their texts.
    static func recordedTraceAnswers<T: FastJSONDecodable & Equatable>(_ job: String, prefix: String, as type: T.Type) throws -> [String] {
        var texts: [String] = []
        for name in ["block_with_create", "block_with_error", "block_with_subtraces", "block_with_suicide", "block_without_transactions"] {
            for data in try FixtureFiles.responses(job, name, prefix: prefix) {
                let text = String(decoding: data, as: UTF8.self)
                texts.append(text)
                let one = Self.same(Self.batch([text]), type, blocks: [1], fast: true)
                #expect((try? one.get())?.first?.result != nil, "\(name)")
            }
        }
        return texts
    }

    @Test("trace_block answers: every recorded one on the fast path, and edited ones, decode as JSONDecoder decodes them")
    func parityTraces() throws {
        let texts = try Self.recordedTraceAnswers("test_export_traces_job", prefix: "web3_response.trace_block", as: [RPCParityTrace].self)
        #expect(texts.count == 5)
        #expect((try? Self.same(Self.batch(texts), [RPCParityTrace].self, blocks: [1, 2, 3, 4, 5], fast: true).get())?.count == 5)

        let trace = #"{"action":{"callType":"call","from":"0xaa","to":null,"value":"0x1"},"blockNumber":7,"result":{"gasUsed":"0x0","output":"0x"},"subtraces":0,"traceAddress":[0,1],"transactionHash":"0xbb","transactionPosition":3,"type":"call"}"#
        func edited(_ old: String, _ new: String) -> String { trace.replacingOccurrences(of: old, with: new) }
        // (trace, whether the fast read takes it itself)
        let cases: [(String, Bool)] = [
            (trace, true),
            (edited(#""result":{"gasUsed":"0x0","output":"0x"}"#, #""result":null"#), true),
            (edited(#""action":{"callType":"call","from":"0xaa","to":null,"value":"0x1"}"#, #""action":{}"#), true),
            (edited(#""type":"call""#, #""type":"call","error":"Reverted","extra":{"a":[1,2.5,null]}"#), true),
            (edited(#""traceAddress":[0,1],"#, ""), true),
            (edited(#""action":{"#, #""action":{"init":"0x60","address":"0xcc","balance":"0x0","refundAddress":"0xdd","author":"0xee","rewardType":"block","#), true),
            (edited(#""subtraces":0"#, #""subtraces":0.5"#), false),
            (edited(#""blockNumber":7"#, #""blockNumber":-7"#), false),
            (edited(#""blockNumber":7"#, #""blockNumber":7e0"#), false),
            (edited(#""traceAddress":[0,1]"#, #""traceAddress":"0,1""#), false),
            (edited(#""transactionPosition":3"#, #""transactionPosition":"3""#), false),
            (edited(#""type":"call""#, #""type":"call","type":"create""#), false),
            (edited(#""from":"0xaa""#, #""from":12"#), false),
        ]
        for (text, fast) in cases {
            Self.same(Data(#"[{"jsonrpc":"2.0","id":1,"result":[\#(text)]}]"#.utf8), [RPCParityTrace].self, blocks: [1], fast: fast)
        }
    }

    @Test("debug_traceBlockByNumber answers: every recorded one on the fast path, edited and deeply nested ones decode as JSONDecoder decodes them")
    func gethTraces() throws {
        let texts = try Self.recordedTraceAnswers("test_extract_geth_traces_job", prefix: "web3_response.debug_traceBlockByNumber",
                                                  as: [RPCGethTransactionTrace].self)
        #expect(texts.count >= 4)

        let trace = #"{"txHash":"0xaa","result":{"type":"CALL","from":"0x01","to":"0x02","value":"0x0","gas":"0x10","gasUsed":"0x5","input":"0x","calls":[{"type":"STATICCALL","from":"0x02","to":"0x03","gas":"0x1","gasUsed":"0x1","input":"0x","output":"0x"}]}}"#
        func edited(_ old: String, _ new: String) -> String { trace.replacingOccurrences(of: old, with: new) }
        func nested(_ depth: Int) -> String {
            var frame = #"{"type":"CALL","from":"0x01"}"#
            for _ in 0..<depth { frame = #"{"type":"CALL","calls":["# + frame + "]}" }
            return #"{"txHash":"0xaa","result":"# + frame + "}"
        }
        // (trace, whether the fast read takes it itself)
        let cases: [(String, Bool)] = [
            (trace, true),
            (edited(#""txHash":"0xaa","#, ""), true),
            (#"{"error":"execution timeout"}"#, true),
            (edited(#","calls":[{"type":"STATICCALL","from":"0x02","to":"0x03","gas":"0x1","gasUsed":"0x1","input":"0x","output":"0x"}]"#, #","calls":null,"error":"out of gas","revertReason":"x""#), true),
            (edited(#""calls":[{"#, #""calls":[{"error":"Reverted","#), true),
            (nested(63), true),
            (nested(200), true),
            (edited(#""calls":[{"#, #""calls":[{"calls":[],"#), true),
            (edited(#""calls":[{"#, #""calls":[{"calls":null,"#), true),
            (edited(#""calls":["#, #""calls":"#).replacingOccurrences(of: "}]}}", with: "}}}"), false),
            (edited(#""gas":"0x10""#, #""gas":16"#), false),
            (edited(#""type":"CALL""#, #""type":"CALL","type":"CREATE""#), false),
        ]
        for (text, fast) in cases {
            let data = Data(#"[{"jsonrpc":"2.0","id":1,"result":[\#(text)]}]"#.utf8)
            let decoded = Self.same(data, [RPCGethTransactionTrace].self, blocks: [1], fast: fast)
            if text == nested(200) { #expect((try? decoded.get()) != nil, "the fast read takes 200 frames") }
            // The tree fallback (for answers too deep for JSONDecoder) reads what JSONDecoder
            // reads, and fails where it fails, on the same field.
            let tree = data.withUnsafeBytes { bytes in
                Result { () throws(ExportError) in try RPCBatchDecoding.treeDecode(bytes, as: [RPCGethTransactionTrace].self, blocks: [1]) }
            }
            switch (Self.old(data, [RPCGethTransactionTrace].self, blocks: [1]), tree) {
            case (.success(let expected), .success(let actual)): #expect(expected == actual, "\(text)")
            case (.failure(let expected), .failure(let actual)):
                #expect(expected.code == actual.code && expected.field == actual.field && expected.blockNumber == actual.blockNumber, "\(text): \(actual)")
            default: Issue.record("tree and JSONDecoder disagree on \(text): \(tree)")
            }
        }
    }

    @Test("a quote, escape, control or non-ASCII byte at any place in a string, across 8-byte words, reads as JSONDecoder reads it")
    func specialBytesAtEveryOffset() {
        // The scanner skips eight plain bytes at a time; each special byte lands at every offset
        // of a word, and strings end at every offset, so a missed stop would show here.
        let specials = [#"\""#, #"\\"#, #"\n"#, #"\u00e9"#, "é", "\u{01}", "\u{7f}", #"""#]
        for length in 0..<20 {
            let plain = String(repeating: "a", count: length)
            Self.same(Self.batch([#"{"id":1,"result":"\#(plain)"}"#]), String.self, fast: true)
            for special in specials {
                for position in 0...length {
                    let text = String(plain.prefix(position)) + special + String(plain.dropFirst(position))
                    Self.same(Self.batch([#"{"id":1,"result":"\#(text)"}"#]), String.self)
                    // Skipped values (unknown keys) take the same scanner.
                    Self.same(Self.batch([#"{"id":1,"x\#(plain)":"\#(text)","result":"ok"}"#]), String.self)
                }
            }
        }
    }
}
