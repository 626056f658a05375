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

    /// The record path: JSONDecoder, the fetch's checks, `TraceRecord.parityBlock`,
    /// `TraceMapper.encode` and `ContractRecord.fromTraces`; nil when it refuses the answers.
    static func recorded(_ results: [Data], first: UInt64, hashes: [[String]]?, format: RowFormat) -> Written? {
        do {
            var written = Written(rows: [], count: 0, contracts: [])
            for (offset, data) in results.enumerated() {
                let traces = try JSONDecoder().decode([RPCParityTrace].self, from: data)
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

    /// The transcoder, reading each result as the batch reader does; nil when it declines.
    static func transcoded(_ results: [Data], first: UInt64, hashes: [[String]]?, format: RowFormat) -> Written? {
        var spans: [TraceSpans] = []
        for data in results {
            let read = data.withUnsafeBytes { bytes -> TraceSpans? in
                do throws(FastJSONReader.Unsupported) {
                    var reader = try FastJSONReader(bytes)
                    let value = try TraceSpans.read(from: &reader)
                    try reader.finish()
                    return value
                } catch {
                    return nil
                }
            }
            guard let read else { return nil }
            spans.append(read)
        }
        let range = first...first + UInt64(results.count) - 1
        guard let encoded = try? TraceTranscoder.encode(spans, range: range, transactionHashes: hashes, format: format) else { return nil }
        #expect(encoded.count == encoded.rows.count { $0 == 0x0A } || format == .csv, "JSON lines: one line a trace")
        return Written(rows: encoded.rows, count: encoded.count, contracts: encoded.contracts)
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

    mutating func hex(_ digits: Int) -> String {
        String((0..<digits).map { _ in "0123456789abcdef".randomElement(using: &generator)! })
    }

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
