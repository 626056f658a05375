// callTracer answers nested to the EVM's call depth limit: decoded on both paths, flattened into rows.

import Foundation
import Testing
@testable import Shared

@Suite("deep geth traces")
struct DeepTraceTests {
    /// A batch of one block's answer: one transaction whose frame holds `nested` calls, each the
    /// only call of its parent; `innermost` is the deepest frame's JSON.
    static func answer(nested: Int, innermost: String = #"{"type":"CALL","from":"0xAB","gas":"0x10"}"#) -> Data {
        let open = String(repeating: #"{"type":"CALL","from":"0x01","gas":"0x2","calls":["#, count: nested)
        let close = String(repeating: "]}", count: nested)
        return Data((#"[{"jsonrpc":"2.0","id":1,"result":[{"txHash":"0xaa","result":"# + open + innermost + close + "}]}]").utf8)
    }

    /// The frames from the top down, walked without recursion (`==` on frames would recurse).
    static func chain(_ responses: [RPCResponse<[RPCGethTransactionTrace]>]) -> [RPCGethCallFrame] {
        var frames: [RPCGethCallFrame] = []
        var next = responses.first?.result?.first?.result
        while let frame = next {
            var bare = frame
            bare.calls = nil
            frames.append(bare)
            #expect((frame.calls?.count ?? 0) <= 1)
            next = frame.calls?.first
        }
        return frames
    }

    static func decode(_ data: Data) -> Result<[RPCResponse<[RPCGethTransactionTrace]>], ExportError> {
        Result { () throws(ExportError) in try RPCBatchDecoding.decode(data, as: [RPCGethTransactionTrace].self, blocks: [7]) }
    }

    @Test("a transaction traced to the EVM's limit (1024 nested calls) decodes on the fast path and on the fallback alike")
    func evmLimitOnBothPaths() throws {
        let data = Self.answer(nested: 1024)
        let fast = try #require(RPCBatchDecoding.fastDecode(data, as: [RPCGethTransactionTrace].self), "the fast read takes it")
        let decoded = try Self.decode(data).get()
        let tree = try data.withUnsafeBytes { bytes throws(ExportError) in
            try RPCBatchDecoding.treeDecode(bytes, as: [RPCGethTransactionTrace].self, blocks: [7])
        }
        for responses in [fast, decoded, tree] {
            let frames = Self.chain(responses)
            #expect(frames.count == 1025)
            #expect(frames.last?.from == "0xAB" && frames.last?.gas == "0x10")
            #expect(frames.dropLast().allSatisfy { $0.from == "0x01" && $0.gas == "0x2" && $0.type == "CALL" })
        }

        // Something the fast read gives up on (a duplicated key at the bottom) takes the fallback,
        // which JSONDecoder cannot be at this depth: it must still decode, first key winning as there.
        let odd = Self.answer(nested: 1024, innermost: #"{"type":"CREATE","type":"CALL","from":"0xAB"}"#)
        #expect(RPCBatchDecoding.fastDecode(odd, as: [RPCGethTransactionTrace].self) == nil)
        #expect((try? JSONDecoder().decode([RPCResponse<[RPCGethTransactionTrace]>].self, from: odd)) == nil, "JSONDecoder refuses the depth")
        let frames = Self.chain(try Self.decode(odd).get())
        #expect(frames.count == 1025)
        #expect(frames.last?.type == "CREATE" && frames.last?.from == "0xAB")
    }

    @Test("the rows of a 1024-deep trace carry the path of call indexes down to the deepest call")
    func rowsOfADeepTrace() throws {
        let responses = try Self.decode(Self.answer(nested: 1024)).get()
        let traces = try #require(responses.first?.result)
        let rows = try TraceRecord.gethBlock(traces, block: 7, transactionHashes: ["0xaa"], style: .complete)
        #expect(rows.count == 1025)
        for (depth, row) in rows.enumerated() {
            #expect(row.traceAddress == Array(repeating: 0, count: depth))
            #expect(row.subtraces == (depth == 1024 ? 0 : 1))
            #expect(row.transactionHash == "0xaa")
        }
        #expect(rows.last?.fromAddress == "0xab" && rows.last?.gas == "16")
        #expect(Set(rows.compactMap(\.traceID)).count == 1025, "every row has its own trace_id")

        // A bad value at the bottom is named by its full path.
        let bad = try Self.decode(Self.answer(nested: 1024, innermost: #"{"type":"CALL","gas":"0xZZ"}"#)).get()
        #expect {
            try TraceRecord.gethBlock(try #require(bad.first?.result), block: 7, transactionHashes: ["0xaa"], style: .ethereumETL)
        } throws: { error in
            (error as? ExportError)?.field == "[0].result." + String(repeating: "calls[0].", count: 1024) + "gas"
        }
    }

    @Test("the trace transcoder writes a 1024-deep trace as the record path does, and declines one deeper than the EVM allows")
    func transcodedDeepTrace() throws {
        func result(nested: Int) -> Data {
            let open = String(repeating: #"{"type":"CALL","from":"0x01","gas":"0x2","calls":["#, count: nested)
            return Data((#"[{"txHash":"0xaa","result":"# + open + #"{"type":"CALL","from":"0xAB","gas":"0x10"}"# + String(repeating: "]}", count: nested) + "}]").utf8)
        }
        for format in RowFormat.lineFormats {
            let deep = result(nested: 1024)
            let reference = try #require(TraceTranscoderTests.recordedGeth([deep], first: 7, hashes: [["0xaa"]], style: .complete, format: format))
            let ours = TraceTranscoderTests.transcodedGeth([deep], first: 7, hashes: [["0xaa"]], style: .complete, format: format)
            #expect(ours == reference && reference.count == 1025, "\(format)")
            let tooDeep = result(nested: RPCGethCallFrame.maximumDepth)
            #expect(TraceTranscoderTests.transcodedGeth([tooDeep], first: 7, hashes: [["0xaa"]], style: .complete, format: format) == nil)
        }
    }

    @Test("deeper than the EVM allows, or malformed deep down, is a clear error naming block and field")
    func tooDeepOrMalformed() {
        let limit = RPCGethCallFrame.maximumDepth
        #expect(RPCBatchDecoding.fastDecode(Self.answer(nested: limit - 1), as: [RPCGethTransactionTrace].self) != nil)
        #expect(Self.chain((try? Self.decode(Self.answer(nested: limit - 1)).get()) ?? []).count == limit)
        for nested in [limit, 2000, 100_000] {
            let data = Self.answer(nested: nested)
            #expect(RPCBatchDecoding.fastDecode(data, as: [RPCGethTransactionTrace].self) == nil)
            guard case .failure(let error) = Self.decode(data) else {
                Issue.record("\(nested) nested calls decoded")
                continue
            }
            #expect(error.code == .malformedJSON && error.message.contains("deeper than"), "\(error)")
        }
        guard case .failure(let error) = Self.decode(Self.answer(nested: 1024, innermost: #"{"type":"CALL","gas":16}"#)) else {
            Issue.record("a number for gas decoded")
            return
        }
        #expect(error.code == .malformedJSON && error.blockNumber == 7)
        #expect(error.field == "[0].result[0].result." + String(repeating: "calls[0].", count: 1024) + "gas", "\(error)")
    }
}
