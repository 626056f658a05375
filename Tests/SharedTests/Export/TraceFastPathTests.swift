// The trace path's shortcuts against what they replace: encoded rows, status runs, plain-hex selectors, error phrases.

import Foundation
import TestSupport
import Testing
@testable import Shared

@Suite("trace path shortcuts")
struct TraceFastPathTests {
    /// Traces with every cell kind at its edges: nulls, negative and wide numbers, empty and
    /// long trace addresses, text that CSV quotes and JSON escapes, non-ASCII.
    static var awkwardTraces: [TraceRecord] {
        var plain = TraceRecord(blockNumber: 7)
        plain.transactionHash = "0xaa"
        plain.transactionIndex = 3
        plain.fromAddress = "0x01"
        plain.toAddress = "0x02"
        plain.value = "115792089237316195423570985008687907853269984665640564039457584007913129639935"
        plain.input = "0x"
        plain.output = "0xdeadbeef"
        plain.traceType = "call"
        plain.callType = "staticcall"
        plain.gas = "21000"
        plain.gasUsed = "0"
        plain.subtraces = 2
        plain.traceAddress = [0, 12, 3]
        plain.status = 1
        plain.traceID = "call_0xaa_0_12_3"
        var quoted = plain
        quoted.error = "Reverted, \"badly\"\r\nline two\ttab \u{7F} ünïcödé 🦊 \\"
        quoted.traceAddress = [5]
        quoted.subtraces = -1
        quoted.status = 0
        var empty = TraceRecord()
        empty.traceAddress = []
        var reward = TraceRecord(blockNumber: UInt64.max)
        reward.traceType = "reward"
        reward.rewardType = "block"
        reward.toAddress = "0xAbC"
        reward.value = "0"
        reward.traceID = "reward_18446744073709551615_0"
        reward.transactionIndex = Int.min
        reward.traceAddress = [-4, Int.max]
        return [plain, quoted, empty, reward, TraceRecord()]
    }

    @Test("encoded trace rows are byte for byte the mapped rows through the writer", arguments: RowFormat.lineFormats)
    func encodedRowsMatchWriter(_ format: RowFormat) throws {
        let traces = Self.awkwardTraces
        #expect(TraceMapper.encodes, "the column table still has the encoded columns")
        let sink = MemorySink()
        let writer = try format.makeWriter(.traces, to: sink)
        for trace in traces { try writer.write(TraceMapper().row(trace, block: 7)) }
        try writer.finish()

        var encoded: [UInt8] = []
        #expect(TraceMapper.encode(traces, format: format, to: &encoded))
        let viaEncoded = MemorySink()
        let encodedWriter = try #require(try format.makeWriter(.traces, to: viaEncoded) as? any EncodedRowWriter)
        try encodedWriter.write(encoded: encoded, count: traces.count)
        try encodedWriter.finish()
        #expect(viaEncoded.text == sink.text)
        #expect(encodedWriter.rowCount == writer.rowCount && encodedWriter.byteCount == writer.byteCount)

        var parquet: [UInt8] = []
        #expect(!TraceMapper.encode(traces, format: .parquet, to: &parquet) && parquet.isEmpty)
    }

    /// `calculate_trace_statuses` as written before the run shortcut: every hash grouped in a
    /// dictionary, members sorted, parents found by address. The reference for `apply`.
    static func referenceStatuses(_ traces: inout [TraceRecord]) -> Bool {
        for index in traces.indices { traces[index].status = (traces[index].error?.isEmpty == false) ? 0 : 1 }
        var byTransaction: [String: [Int]] = [:]
        var order: [String] = []
        for index in traces.indices {
            guard let hash = traces[index].transactionHash, !hash.isEmpty else { continue }
            if byTransaction[hash] == nil { order.append(hash) }
            byTransaction[hash, default: []].append(index)
        }
        for hash in order {
            let sorted = byTransaction[hash]!.enumerated().sorted { a, b in
                let (la, lb) = (traces[a.element].traceAddress?.count ?? 0, traces[b.element].traceAddress?.count ?? 0)
                return la != lb ? la < lb : a.offset < b.offset
            }.map(\.element)
            var byAddress: [[Int]: Int] = [:]
            for index in sorted { byAddress[traces[index].traceAddress ?? []] = index }
            for index in sorted {
                let address = traces[index].traceAddress ?? []
                guard !address.isEmpty else { continue }
                guard let parent = byAddress[Array(address.dropLast())] else { return false }
                if traces[parent].status == 0 { traces[index].status = 0 }
            }
        }
        return true
    }

    /// A random call tree per transaction (depth first, as nodes list them), with failures,
    /// suicides, traces without a hash, a duplicate address, and sometimes a hash that comes back.
    static func randomBlock(_ generator: inout some RandomNumberGenerator, transactions: Int, maxCalls: Int) -> [TraceRecord] {
        var traces: [TraceRecord] = []
        for tx in 0..<transactions {
            var addresses: [[Int]] = [[]]
            var children: [[Int]: Int] = [:]
            for _ in 0..<Int.random(in: 0...maxCalls, using: &generator) {
                let parent = addresses.randomElement(using: &generator)!
                let address = parent + [children[parent, default: 0]]
                children[parent, default: 0] += 1
                addresses.append(address)
            }
            addresses.sort { $0.lexicographicallyPrecedes($1) }
            if Int.random(in: 0..<10, using: &generator) == 0, let last = addresses.last { addresses.append(last) }
            for address in addresses {
                var trace = TraceRecord(blockNumber: 9)
                trace.transactionHash = "0x\(tx)"
                trace.traceAddress = address
                trace.traceType = ["call", "call", "create", "create2", "suicide"].randomElement(using: &generator)
                if Int.random(in: 0..<4, using: &generator) == 0 { trace.error = ["Reverted", ""].randomElement(using: &generator) }
                traces.append(trace)
            }
            if Int.random(in: 0..<8, using: &generator) == 0 {
                var reward = TraceRecord(blockNumber: 9)
                reward.traceType = "reward"
                traces.append(reward)
            }
        }
        if transactions > 1, Int.random(in: 0..<6, using: &generator) == 0 {
            var again = TraceRecord(blockNumber: 9)
            again.transactionHash = "0x0"
            again.traceType = "call"
            again.traceAddress = [Int.random(in: 0...3, using: &generator)]
            traces.append(again)
        }
        return traces
    }

    @Test("statuses by runs of a transaction's traces are the grouped calculation's, small, deep and out of order")
    func statusesMatchReference() throws {
        var generator = SeededGenerator(state: 21)
        for round in 0..<400 {
            let maxCalls = round % 10 == 0 ? 80 : 6
            var traces = Self.randomBlock(&generator, transactions: Int.random(in: 0...6, using: &generator), maxCalls: maxCalls)
            var expected = traces
            let succeeds = Self.referenceStatuses(&expected)
            if succeeds {
                try TraceStatusCalculator.apply(&traces, block: 9)
                #expect(traces.map(\.status) == expected.map(\.status), "round \(round)")
            } else {
                #expect(throws: ExportError.self, "round \(round)") { try TraceStatusCalculator.apply(&traces, block: 9) }
            }
        }
    }

    @Test("selectors read in place from plain hex are the general reading's, for random and edge-case code")
    func plainHexSelectorsMatchGeneral() {
        var generator = SeededGenerator(state: 4)
        var codes = ["", "0x", "0x63", "0x63aabbcc", "0x63aabbccdd", "63aabbccdd5b63deadbeef", "0x63AABBCCDD7f" + String(repeating: "00", count: 32) + "63ffffffff"]
        for _ in 0..<300 {
            // Mostly PUSH4s and other pushes, so selectors, skipped data and duplicates all occur.
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...60, using: &generator) {
                switch Int.random(in: 0..<6, using: &generator) {
                case 0, 1: bytes += [0x63] + (0..<4).map { _ in [0x11, 0x22, 0xAB, 0x5B, 0x63].randomElement(using: &generator)! }
                case 2: bytes.append(UInt8.random(in: 0x60...0x7F, using: &generator))
                case 3: bytes.append(0x5B)
                default: bytes.append(UInt8.random(in: 0...255, using: &generator))
                }
            }
            let hex = bytes.map { String(format: "%02x", $0) }.joined()
            codes.append((Bool.random(using: &generator) ? "0x" : "") + hex)
        }
        for code in codes {
            let plain = EVMBytecode.plainHexSighashes(code)
            #expect(plain != nil, "\(code) is plain hex")
            #expect(plain == EVMBytecode.generalSighashes(code), "\(code)")
            #expect(EVMBytecode.functionSighashes(code) == EVMBytecode.generalSighashes(code))
        }
        // Anything else is the general reading's.
        for odd in ["0x \n63aabbccdd\t", "0x0x6311223344", "0X63aabbccdd", "0x63aabbccd", "0x63aabbccdz"] {
            #expect(EVMBytecode.plainHexSighashes(odd) == nil, "\(odd)")
        }
    }

    @Test("error phrases are found in ASCII and non-ASCII messages alike, whatever their case")
    func errorClassification() {
        func code(_ message: String, _ number: Int = -32000) -> RPCError.Code {
            JSONRPCTransport.classify(RPCErrorObject(code: number, message: message), endpoint: "node", method: "eth_call").code
        }
        #expect(code("execution reverted") == .rpc)
        #expect(code("the method eth_foo does not exist/is not available") == .methodNotFound)
        #expect(code("Method Not Found") == .methodNotFound)
        #expect(code("BATCH TOO LARGE") == .batchTooLarge)
        #expect(code("Rate Limit exceeded — réessayez") == .rateLimited)
        #expect(code("Ｒesponse too large 🦊") == .rpc, "a full-width R is no ASCII r")
        #expect(code("response too large 🦊") == .responseTooLarge)
        #expect(code("") == .rpc)
        #expect(code("x", 429) == .rateLimited)
    }
}
