// The trace transcoder against the record path: same rows and contracts whenever it writes, a decline otherwise.

import Foundation
import TestSupport
import Testing
@testable import Shared

@Suite("trace transcoder writes what the record path writes")
struct TraceTranscoderTests {
    /// Rows (no header) and each block's contracts.
    struct Written: Equatable {
        var rows: [UInt8]
        var count: Int
        var contracts: [[ContractRecord]]
    }

    /// The record path: the batch decoding, the fetch's checks, `TraceRecord.parityBlock`,
    /// `TraceMapper.encode` and `ContractRecord.fromTraces`; nil when it refuses the answers.
    static func recorded(_ results: [Data], first: UInt64, hashes: [[String]]?, format: RowFormat) -> Written? {
        do {
            var written = Written(rows: [], count: 0, contracts: [])
            for (offset, data) in results.enumerated() {
                let traces = try answer(data, as: [RPCParityTrace].self)
                let records = try TraceFetcher.parityRecords(traces, block: first + UInt64(offset), transactionHashes: hashes?[offset])
                #expect(TraceMapper.encode(records, format: format, to: &written.rows))
                written.count += records.count
                written.contracts.append(ContractRecord.fromTraces(records))
            }
            return written
        } catch {
            return nil
        }
    }

    /// A result as the record path reads it: in a JSON-RPC response, through `RPCBatchDecoding`
    /// (the fast read, or its fallbacks).
    static func answer<T: Decodable & Sendable>(_ result: Data, as type: T.Type) throws -> T {
        let response = Data(#"[{"jsonrpc":"2.0","id":1,"result":"#.utf8) + result + Data("}]".utf8)
        guard let value = try RPCBatchDecoding.decode(response, as: T.self).first?.result else { throw TestFailure("no result") }
        return value
    }

    struct TestFailure: Error {
        let reason: String
        init(_ reason: String) { self.reason = reason }
    }

    /// The transcoder, reading each result as the batch reader does; nil when it declines.
    static func transcoded(_ results: [Data], first: UInt64, hashes: [[String]]?, format: RowFormat) -> Written? {
        guard let spans = read(results, as: TraceSpans.self) else { return nil }
        let range = first...first + UInt64(results.count) - 1
        guard let encoded = try? TraceTranscoder.encode(spans, range: range, transactionHashes: hashes, format: format) else { return nil }
        #expect(encoded.count == encoded.rows.count { $0 == 0x0A } || format == .csv, "JSON lines: one line a trace")
        return Written(rows: encoded.rows, count: encoded.count, contracts: encoded.contracts)
    }

    /// geth's record path: the batch decoding, the fetch's checks, `TraceRecord.gethBlock`, the same encoding.
    static func recordedGeth(_ results: [Data], first: UInt64, hashes: [[String]]?, style: TraceRecord.GethStyle, format: RowFormat) -> Written? {
        do {
            var written = Written(rows: [], count: 0, contracts: [])
            for (offset, data) in results.enumerated() {
                let traces = try answer(data, as: [RPCGethTransactionTrace].self)
                let records = try TraceFetcher.gethRecords(traces, block: first + UInt64(offset), transactionHashes: hashes?[offset], style: style)
                #expect(TraceMapper.encode(records, format: format, to: &written.rows))
                written.count += records.count
                written.contracts.append(ContractRecord.fromTraces(records))
            }
            return written
        } catch {
            return nil
        }
    }

    /// geth's answers through the transcoder; nil when it declines. `first` > 0.
    static func transcodedGeth(_ results: [Data], first: UInt64, hashes: [[String]]?, style: TraceRecord.GethStyle, format: RowFormat) -> Written? {
        guard let spans = read(results, as: GethTraceSpans.self) else { return nil }
        let range = first...first + UInt64(results.count) - 1
        guard let encoded = try? TraceTranscoder.encode(geth: spans, range: range, transactionHashes: hashes, style: style, format: format) else { return nil }
        return Written(rows: encoded.rows, count: encoded.count, contracts: encoded.contracts)
    }

    /// Each result read as the batch reader reads it; nil if the JSON is not readable at all.
    static func read<Spans: SpanResult>(_ results: [Data], as type: Spans.Type) -> [Spans]? {
        var spans: [Spans] = []
        for data in results {
            let read = data.withUnsafeBytes { bytes -> Spans? in
                do throws(FastJSONReader.Unsupported) {
                    var reader = try FastJSONReader(bytes)
                    let value = try Spans.read(from: &reader)
                    try reader.finish()
                    return value
                } catch {
                    return nil
                }
            }
            guard let read else { return nil }
            spans.append(read)
        }
        return spans
    }

    static func json(_ value: Any) -> Data {
        try! JSONSerialization.data(withJSONObject: value, options: [.withoutEscapingSlashes])
    }

    @Test("ethereum-etl's recorded trace_block answers: written, the record path's bytes and contracts", arguments: TraceFixtureTests.cases)
    func fixtures(name: String, block: UInt64) throws {
        let data = try #require(try FixtureFiles.responses("test_export_traces_job", name, prefix: "web3_response.trace_block_").first)
        let envelope = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let result = Self.json(try #require(envelope["result"]))
        for format in RowFormat.lineFormats {
            let reference = try #require(Self.recorded([result], first: block, hashes: nil, format: format))
            let ours = Self.transcoded([result], first: block, hashes: nil, format: format)
            #expect(ours != nil, "declined \(name) in \(format)")
            #expect(ours == reference, "\(name) differs in \(format)")
        }
    }

    @Test("random blocks of every trace type, with edits: the record path's bytes and contracts, or a decline")
    func randomBlocks() {
        var generator = SeededGenerator(state: 20261203)
        var outcomes = (written: 0, declined: 0, bothRefused: 0, blockScoped: 0, deep: 0, contracts: 0)
        for round in 0..<300 {
            var chain = RandomTraces(generator: generator, edits: round % 3 != 0)
            let first = UInt64(1_000 + round * 2)
            let blocks = [chain.block(first), chain.block(first + 1)]
            generator = chain.generator
            let results = blocks.map { Self.json($0.traces) }
            let hashes = round % 4 == 0 ? nil : blocks.map(\.hashes)
            for format in RowFormat.lineFormats {
                let reference = Self.recorded(results, first: first, hashes: hashes, format: format)
                let ours = Self.transcoded(results, first: first, hashes: hashes, format: format)
                if let ours {
                    #expect(reference != nil, "written where the record path refuses (round \(round), \(format))")
                    #expect(ours == reference, "differs (round \(round), \(format))")
                    if format == .csv {
                        outcomes.written += 1
                        if blocks.contains(where: { $0.blockScoped }) { outcomes.blockScoped += 1 }
                        if blocks.contains(where: { $0.deep }) { outcomes.deep += 1 }
                        outcomes.contracts += ours.contracts.joined().count
                    }
                } else if format == .csv {
                    if reference != nil { outcomes.declined += 1 } else { outcomes.bothRefused += 1 }
                }
            }
        }
        // Unedited rounds (a third: 100) are all written; the edits reach every outcome.
        #expect(outcomes.written >= 110 && outcomes.declined > 15 && outcomes.bothRefused > 50, "\(outcomes)")
        #expect(outcomes.blockScoped > 30 && outcomes.deep > 10 && outcomes.contracts > 50, "\(outcomes)")
    }

    @Test("an unedited random block is never declined")
    func uneditedWritten() {
        var chain = RandomTraces(generator: SeededGenerator(state: 7), edits: false)
        for number in UInt64(1)...40 {
            let block = chain.block(number)
            let result = Self.json(block.traces)
            for format in RowFormat.lineFormats {
                let ours = Self.transcoded([result], first: number, hashes: [block.hashes], format: format)
                #expect(ours != nil && ours == Self.recorded([result], first: number, hashes: [block.hashes], format: format),
                        "block \(number) in \(format)")
            }
        }
    }
}

extension TraceTranscoderTests {
    @Test("ethereum-etl's recorded callTracer answers: written in both styles, the record path's bytes and contracts",
          arguments: TraceFixtureTests.cases.map { ($0.name, max($0.block, 1)) })
    func gethFixtures(name: String, block: UInt64) throws {
        let data = try #require(try FixtureFiles.responses("test_extract_geth_traces_job", name, prefix: "web3_response.debug_traceBlockByNumber_").first)
        let envelope = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let result = Self.json(try #require(envelope["result"]))
        for style in TraceRecord.GethStyle.allCases {
            for format in RowFormat.lineFormats {
                let reference = try #require(Self.recordedGeth([result], first: block, hashes: nil, style: style, format: format))
                let ours = Self.transcodedGeth([result], first: block, hashes: nil, style: style, format: format)
                #expect(ours != nil, "declined \(name), \(style), \(format)")
                #expect(ours == reference, "\(name) differs, \(style), \(format)")
            }
        }
    }

    @Test("random callTracer answers, deep and wide, with edits: the record path's bytes and contracts, or a decline")
    func randomGethBlocks() {
        var generator = SeededGenerator(state: 20261204)
        var outcomes = (written: 0, declined: 0, bothRefused: 0, deep: 0, contracts: 0)
        for round in 0..<240 {
            var chain = RandomGethTraces(generator: generator, edits: round % 3 != 0)
            let first = UInt64(500 + round * 2)
            let blocks = [chain.block(), chain.block()]
            generator = chain.generator
            let results = blocks.map { Self.json($0.traces) }
            let hashes = round % 4 == 1 ? nil : blocks.map(\.hashes)
            let style: TraceRecord.GethStyle = round % 5 == 0 ? .ethereumETL : .complete
            for format in RowFormat.lineFormats {
                let reference = Self.recordedGeth(results, first: first, hashes: hashes, style: style, format: format)
                let ours = Self.transcodedGeth(results, first: first, hashes: hashes, style: style, format: format)
                if let ours {
                    #expect(reference != nil, "written where the record path refuses (round \(round), \(format))")
                    #expect(ours == reference, "differs (round \(round), \(format))")
                    if format == .csv {
                        outcomes.written += 1
                        if blocks.contains(where: \.deep) { outcomes.deep += 1 }
                        outcomes.contracts += ours.contracts.joined().count
                    }
                } else if format == .csv {
                    if reference != nil { outcomes.declined += 1 } else { outcomes.bothRefused += 1 }
                }
            }
        }
        // Unedited rounds (a third: 80) are all written; the edits reach every outcome.
        #expect(outcomes.written >= 88 && outcomes.declined > 15 && outcomes.bothRefused > 15, "\(outcomes)")
        #expect(outcomes.deep > 10 && outcomes.contracts > 30, "\(outcomes)")
    }

    @Test("callTracer answers of a range from block 0: genesis has no answer and no rows")
    func gethFromGenesis() throws {
        var chain = RandomGethTraces(generator: SeededGenerator(state: 3), edits: false)
        let block = chain.block()
        let result = Self.json(block.traces)
        let spans = try #require(Self.read([result], as: GethTraceSpans.self))
        let encoded = try TraceTranscoder.encode(geth: spans, range: 0...1, transactionHashes: [[], block.hashes], style: .complete, format: .csv)
        let reference = try #require(Self.recordedGeth([result], first: 1, hashes: [block.hashes], style: .complete, format: .csv))
        #expect(encoded.rows == reference.rows && encoded.count == reference.count)
        #expect(encoded.contracts == [[]] + reference.contracts)
    }
}

/// `debug_traceBlockByNumber` answers with the callTracer as geth sends them — frames nested in
/// `calls` (members in any order around them), upper-case types, reverted subtrees, contract
/// creations, a wide frame or a 40-deep chain now and then — and, with `edits`, odd ones: frames without a type
/// or of an unknown one, untraced transactions, other transactions' hashes, escapes, bad hex.
struct RandomGethTraces {
    var generator: SeededGenerator
    let edits: Bool

    struct Block {
        var traces: [[String: Any]]
        var hashes: [String]
        var deep: Bool
    }

    mutating func draw(_ bound: Int) -> Int { generator.next(below: bound) }

    mutating func hex(_ digits: Int) -> String { generator.hex(digits) }

    mutating func quantity() -> String {
        [0, 1, 2].contains(draw(8)) ? "0x" + hex(1 + draw(30)) : "0x" + String(draw(1 << 20), radix: 16)
    }

    mutating func frame(depth: Int, chain: Int) -> [String: Any] {
        let types = ["CALL", "CALL", "CALL", "STATICCALL", "DELEGATECALL", "CREATE", "CREATE2", "SELFDESTRUCT", "CALLCODE"]
        let type = types[draw(types.count)]
        var frame: [String: Any] = ["type": type, "from": "0x" + hex(40), "gas": quantity(), "gasUsed": quantity(), "input": "0x" + hex(2 * draw(20))]
        frame["to"] = draw(10) == 0 ? "0x" + hex(40).uppercased() : "0x" + hex(40)
        if type != "STATICCALL" && type != "DELEGATECALL" { frame["value"] = quantity() }
        frame["output"] = type.hasPrefix("CREATE") && draw(3) == 0
            ? "0x6318160ddd6370a0823163a9059cbb6323b872dd63095ea7b363dd62ed3e" : "0x" + hex(2 * draw(10))
        if draw(7) == 0 { frame["error"] = ["execution reverted", "out of gas", "invalid jump destination, or so"][draw(3)] }
        // A wide frame now and then: a router calling many pools.
        let children = chain > 0 ? 1 : (depth == 0 && draw(6) == 0 ? 4 + draw(10) : (depth < 3 ? [0, 0, 0, 1, 2, 3][draw(6)] : 0))
        if children > 0 {
            frame["calls"] = (0..<children).map { _ in self.frame(depth: depth + 1, chain: max(chain - 1, 0)) }
        } else if draw(4) == 0 {
            frame["calls"] = draw(2) == 0 ? [Any]() : NSNull() as Any
        }
        return frame
    }

    mutating func block() -> Block {
        var block = Block(traces: [], hashes: [], deep: false)
        for _ in 0..<draw(6) {
            let hash = "0x" + hex(64)
            block.hashes.append(hash)
            let chain = draw(10) == 0 ? 40 : 0
            block.deep = block.deep || chain > 0
            var trace: [String: Any] = ["result": frame(depth: 0, chain: chain)]
            if draw(8) != 0 { trace["txHash"] = draw(6) == 0 ? hash.uppercased().replacingOccurrences(of: "0X", with: "0x") : hash }
            block.traces.append(trace)
        }
        if edits { edit(&block) }
        return block
    }

    /// One or two edits of a transaction's top frame (or of the answer).
    mutating func edit(_ block: inout Block) {
        for _ in 0..<1 + draw(2) {
            guard !block.traces.isEmpty else { return }
            let index = draw(block.traces.count)
            var trace = block.traces[index]
            var frame = trace["result"] as? [String: Any] ?? [:]
            switch draw(12) {
            case 0: frame.removeValue(forKey: "type")
            case 1: frame["type"] = ["call", "Create2", "INVALID", "SUICIDE"][draw(4)]
            case 2: trace["result"] = NSNull(); trace["error"] = "execution timeout"
            case 3: trace["txHash"] = "0x" + hex(64)
            case 4: frame["error"] = ""
            case 5: frame["error"] = "reverted: caf\u{e9}"
            case 6: frame[["value", "gas", "gasUsed"][draw(3)]] = ["0xzz", "0x", "12"][draw(3)]
            case 7: frame["calls"] = NSNull()
            case 8: frame["unknownMember"] = ["nested": [1, ["deep": true]]]
            case 9: frame["to"] = NSNull()
            case 10: block.traces.remove(at: index); continue
            default: frame["input"] = "quote \" and \\ backslash"
            }
            if trace["result"] is [String: Any] { trace["result"] = frame }
            block.traces[index] = trace
        }
    }
}

/// `trace_block` answers as nodes send them — transactions' call trees depth first, creations,
/// self-destructs, failures under failures, block and uncle rewards — and, with `edits`, the
/// odd answers either path must handle: members missing, null or of another case, escapes and
/// non-ASCII text, malformed hex, traces of other blocks or transactions, orphans.
struct RandomTraces {
    var generator: SeededGenerator
    let edits: Bool

    struct Block {
        var traces: [[String: Any]]
        var hashes: [String]
        var blockScoped: Bool
        var deep: Bool
    }

    mutating func draw(_ bound: Int) -> Int { generator.next(below: bound) }

    mutating func hex(_ digits: Int) -> String { generator.hex(digits) }

    mutating func address() -> String {
        let text = "0x" + hex(40)
        return draw(8) == 0 ? "0x" + text.dropFirst(2).uppercased() : text
    }

    mutating func quantity() -> String {
        switch draw(10) {
        case 0: "0x0"
        case 1: "0x" + hex(64)
        case 2: "0x000" + hex(3)
        case 3: "0x" + hex(5).uppercased()
        default: "0x" + String(draw(1 << 24), radix: 16)
        }
    }

    mutating func block(_ number: UInt64) -> Block {
        var block = Block(traces: [], hashes: [], blockScoped: false, deep: false)
        let transactions = draw(6)
        for position in 0..<transactions {
            let hash = "0x" + hex(64)
            block.hashes.append(hash)
            let big = draw(12) == 0
            block.deep = block.deep || big
            var pending: [(address: [Int], failed: Bool)] = [([], false)]
            var traces: [[String: Any]] = []
            while let (address, parentFailed) = pending.popLast() {
                let children = big && address.isEmpty ? 33 + draw(30) : (address.count < 3 ? [0, 0, 1, 1, 2, 3][draw(6)] : 0)
                let failed = parentFailed || draw(6) == 0
                var trace = self.trace(at: address, failed: failed && !parentFailed, children: children)
                trace["blockNumber"] = Int(number)
                trace["transactionHash"] = hash
                trace["transactionPosition"] = position
                traces.append(trace)
                for child in (0..<children).reversed() { pending.append((address + [child], failed)) }
            }
            block.traces += traces
        }
        for _ in 0..<[0, 1, 1, 2, 3][draw(5)] {
            block.blockScoped = true
            var action: [String: Any] = ["author": address(), "value": quantity(), "rewardType": draw(3) == 0 ? "uncle" : "block"]
            if draw(4) == 0 { action["value"] = "0x1bc16d674ec80000" }
            block.traces.append(["action": action, "blockNumber": Int(number), "result": NSNull(), "subtraces": 0,
                                 "traceAddress": [Int](), "transactionHash": NSNull(), "transactionPosition": NSNull(), "type": "reward"])
        }
        if edits { edit(&block, number: number) }
        return block
    }

    /// One trace of a transaction's tree; `failed` gives it an error.
    mutating func trace(at traceAddress: [Int], failed: Bool, children: Int) -> [String: Any] {
        var trace: [String: Any] = ["subtraces": children, "traceAddress": traceAddress]
        let kind = draw(20)
        switch kind {
        case 0..<14:
            trace["type"] = "call"
            trace["action"] = ["callType": ["call", "staticcall", "delegatecall"][draw(3)], "from": address(), "to": address(),
                               "gas": quantity(), "input": "0x" + hex(2 * draw(40)), "value": quantity()]
            trace["result"] = failed ? NSNull() as Any : ["gasUsed": quantity(), "output": "0x" + hex(2 * draw(20))] as Any
        case 14..<18:
            trace["type"] = "create"
            trace["action"] = ["from": address(), "gas": quantity(), "init": "0x60806040" + hex(2 * draw(60)), "value": quantity()]
            // ERC-20's six selectors in the code now and then, so tokens' verdicts are compared too.
            let code = draw(3) == 0 ? "0x6318160ddd6370a0823163a9059cbb6323b872dd63095ea7b363dd62ed3e" : "0x6080" + hex(2 * draw(40))
            trace["result"] = failed ? NSNull() as Any : ["address": address(), "code": code, "gasUsed": quantity()] as Any
        case 18:
            trace["type"] = "suicide"
            trace["action"] = ["address": address(), "balance": quantity(), "refundAddress": address()]
            trace["result"] = NSNull()
        default:
            trace["type"] = ["create2", "CALL", "mystery"][draw(3)]
            trace["action"] = ["from": address(), "to": address(), "value": quantity()]
        }
        if failed { trace["error"] = ["Reverted", "Out of gas", "Bad jump destination, or so"][draw(3)] }
        if draw(10) == 0 { trace["error"] = "" }
        return trace
    }

    /// One to three edits of the block's traces.
    mutating func edit(_ block: inout Block, number: UInt64) {
        guard !block.traces.isEmpty else { return }
        for _ in 0..<1 + draw(3) {
            let index = draw(block.traces.count)
            var trace = block.traces[index]
            switch draw(14) {
            case 0: trace.removeValue(forKey: ["action", "result", "type", "traceAddress", "blockNumber", "subtraces", "error"][draw(7)])
            case 1: trace[["action", "result", "type", "traceAddress", "blockNumber", "transactionHash", "transactionPosition"][draw(7)]] = NSNull()
            case 2: trace["blockNumber"] = Int(number) + 1
            case 3: trace["transactionHash"] = block.hashes.randomElement(using: &generator) ?? "0x00"
            case 4: trace["transactionPosition"] = draw(8)
            case 5: trace["traceAddress"] = [draw(3), draw(3)]
            case 6: trace["error"] = "Reverted: caf\u{e9}"
            case 7: trace["error"] = "quote \" and \\ backslash"
            case 8: trace["transactionHash"] = ""
            case 9:
                var action = trace["action"] as? [String: Any] ?? [:]
                action[["value", "gas", "balance", "from"][draw(4)]] = ["0xzz", "12", "0x", "0X1f"][draw(4)]
                trace["action"] = action
            case 10:
                var result = trace["result"] as? [String: Any] ?? [:]
                result[["gasUsed", "address", "output", "code"][draw(4)]] = [NSNull(), "0xABC", "", 7][draw(4)] as Any
                trace["result"] = result
            case 11: trace["subtraces"] = "two"
            case 12: trace["unknownMember"] = ["nested": [1, 2, ["deep": true]]]
            default:
                // Another transaction's traces between this one's.
                let moved = block.traces.remove(at: index)
                block.traces.insert(moved, at: draw(block.traces.count + 1))
                continue
            }
            block.traces[index] = trace
        }
    }
}

extension SeededGenerator {
    /// `digits` random lower-case hex digits.
    mutating func hex(_ digits: Int) -> String {
        String((0..<digits).map { _ in "0123456789abcdef".randomElement(using: &self)! })
    }
}
