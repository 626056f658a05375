// The transcoder against the decoding path, in CSV and in JSON lines: same bytes whenever it writes, a decline otherwise.

import Foundation
import TestSupport
import Testing
@testable import Shared

@Suite("CSV transcoder writes what the decoding path writes")
struct CSVTranscoderTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/transcoder")
    /// devchain (seed 3) blocks 5 and 6 with their receipts: all four transaction types, blob
    /// hashes, withdrawals, a contract creation, reverted transactions, ERC-20 and ERC-721 transfers.
    nonisolated(unsafe) static let blocks = try! JSONSerialization.jsonObject(with: Data(contentsOf: fixtures.appendingPathComponent("blocks.json"))) as! [[String: Any]]
    nonisolated(unsafe) static let receipts = try! JSONSerialization.jsonObject(with: Data(contentsOf: fixtures.appendingPathComponent("receipts.json"))) as! [[[String: Any]]]
    static let first: UInt64 = 5
    static let entities: [ExportEntity] = [.blocks, .transactions, .receipts, .logs, .tokenTransfers]

    /// CSV rows without header per entity, or nil when that path refuses the data.
    typealias Rows = [ExportEntity: [UInt8]]

    /// The decoding path: JSONDecoder, the consistency checks, the mappers, the row writer.
    static func decoded(_ blocks: [Data], _ receipts: [Data]?, entities: [ExportEntity] = entities, format: RowFormat = .csv) -> Rows? {
        do {
            let decodedBlocks = try blocks.map { try JSONDecoder().decode(RPCBlock.self, from: $0) }
            let decodedReceipts = try receipts?.map { try JSONDecoder().decode([RPCReceipt].self, from: $0) }
            let bundles = decodedBlocks.indices.map { BlockBundle(block: decodedBlocks[$0], receipts: decodedReceipts?[$0]) }
            try RangeConsistency.check(bundles, first: first, last: first + UInt64(blocks.count) - 1)
            var rows: Rows = [:]
            for entity in entities {
                let sink = MemorySink()
                let writer = try format.makeWriter(EntityColumns.of(entity), to: sink)
                for bundle in bundles { try writer.write(contentsOf: try ExportMapper.standard.rows(entity, from: bundle)) }
                try writer.finish()
                // Parquet: the whole file (one row group: the decoding path's writer checks its
                // size every 256 rows, the cells' once, and the fixtures stay far below it).
                guard format == .csv else {
                    rows[entity] = sink.bytes
                    continue
                }
                // Drop the header line the transcoder leaves to the writer.
                let bytes = sink.bytes
                let headerEnd = bytes.indices.dropLast().first { bytes[$0] == 0x0D && bytes[$0 + 1] == 0x0A }
                rows[entity] = headerEnd.map { Array(bytes[($0 + 2)...]) } ?? []
            }
            return rows
        } catch {
            return nil
        }
    }

    /// The transcoder, reading each result as the batch reader does; nil when it declines.
    static func transcoded(_ blocks: [Data], _ receipts: [Data]?, entities: [ExportEntity] = entities, format: RowFormat = .csv) -> Rows? {
        func read<T: FastJSONDecodable>(_ data: Data, as type: T.Type) -> T? {
            data.withUnsafeBytes { bytes in
                do throws(FastJSONReader.Unsupported) {
                    var reader = try FastJSONReader(bytes)
                    let value = try T.read(from: &reader)
                    try reader.finish()
                    return value
                } catch {
                    return nil
                }
            }
        }
        let blockSpans = blocks.compactMap { read($0, as: BlockSpans.self) }
        let receiptSpans = receipts?.compactMap { read($0, as: ReceiptSpans.self) }
        guard blockSpans.count == blocks.count, receiptSpans?.count == receipts?.count else { return nil }
        var transcoder = CSVTranscoder(entities: entities, format: format)
        guard let window = try? transcoder.transcode(RawWindow(blocks: blockSpans, receipts: receiptSpans),
                                                     range: first...first + UInt64(blocks.count) - 1) else { return nil }
        var rows: Rows = [:]
        guard format == .parquet else {
            for (entity, file) in zip(entities, window.files) {
                rows[entity] = file.rows
                #expect(file.count == file.rows.count { $0 == 0x0A }, "row count of \(entity)")
            }
            return rows
        }
        // The cells through the Parquet writer, as the exporter appends them.
        #expect(window.files.isEmpty, "no lines for Parquet")
        #expect(window.timestamps.count == blocks.count)
        for (entity, cells) in zip(entities, window.cells) {
            #expect(cells.blockEnds.count == blocks.count && cells.blockEnds.last == cells.rowCount, "block rows of \(entity)")
            let sink = MemorySink()
            do {
                let writer = try ParquetRowWriter(.of(entity), output: OutputSinkParquetOutput(sink))
                try writer.write(cells, rows: 0..<cells.rowCount)
                try writer.finish()
            } catch {
                Issue.record("\(entity.rawValue): the Parquet writer refused the cells: \(error)")
                return nil
            }
            rows[entity] = sink.bytes
        }
        return rows
    }

    static func json(_ value: Any) -> Data {
        try! JSONSerialization.data(withJSONObject: value, options: [.withoutEscapingSlashes])
    }

    /// Fixture blocks and receipts after `edit`, as the node would send them.
    static func edited(_ edit: (inout [[String: Any]], inout [[[String: Any]]]) -> Void) -> (blocks: [Data], receipts: [Data]) {
        var blocks = Self.blocks
        var receipts = Self.receipts
        edit(&blocks, &receipts)
        return (blocks.map(json), receipts.map(json))
    }

    enum Outcome { case written, declined }

    /// Whatever the transcoder writes equals what the decoding path writes, in CSV, in JSON
    /// lines and in Parquet (the same file: the cells append the values the rows do);
    /// `expected` says which it must do.
    static func check(_ blocks: [Data], _ receipts: [Data]?, entities: [ExportEntity] = entities, expected: Outcome,
                      sourceLocation: SourceLocation = #_sourceLocation) {
        for format in RowFormat.allCases {
            check(blocks, receipts, entities: entities, format: format, expected: expected, sourceLocation: sourceLocation)
        }
    }

    static func check(_ blocks: [Data], _ receipts: [Data]?, entities: [ExportEntity], format: RowFormat, expected: Outcome,
                      sourceLocation: SourceLocation) {
        let reference = decoded(blocks, receipts, entities: entities, format: format)
        let ours = transcoded(blocks, receipts, entities: entities, format: format)
        switch expected {
        case .written:
            #expect(ours != nil, "the transcoder declined (\(format))", sourceLocation: sourceLocation)
            #expect(reference != nil, "the decoding path refused the data", sourceLocation: sourceLocation)
        case .declined:
            #expect(ours == nil, "the transcoder wrote rows", sourceLocation: sourceLocation)
        }
        if let ours {
            for entity in entities {
                #expect(ours[entity] == reference?[entity], "\(entity.rawValue) differs in \(format)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test("the fixture blocks: every entity byte for byte, rows in every file")
    func fixture() {
        let (blocks, receipts) = Self.edited { _, _ in }
        Self.check(blocks, receipts, expected: .written)
        let rows = Self.transcoded(blocks, receipts)!
        for entity in Self.entities { #expect(rows[entity]!.count > 100, "\(entity.rawValue) has rows") }
        // The node's own compact bytes, not re-serialized ones, too.
        let raw = { (name: String) in
            try! (JSONSerialization.jsonObject(with: Data(contentsOf: Self.fixtures.appendingPathComponent(name))) as! [Any]).map(Self.json)
        }
        Self.check(raw("blocks.json"), raw("receipts.json"), expected: .written)
    }

    @Test("values the mappers normalise or pass through: still written, same bytes", arguments: [
        "uppercase addresses", "uppercase hashes in receipts", "commas in text", "unknown members", "null optionals",
        "missing optionals", "total difficulty", "wide quantities", "OP-stack receipt fields", "pretty printed",
        "DEL in text", "DEL in an address", "DEL in a list",
    ])
    func written(_ name: String) throws {
        var (blocks, receipts): ([Data], [Data])
        switch name {
        case "DEL in text":
            // Plain ASCII for the reader, but Python's ensure_ascii escapes it in JSON.
            (blocks, receipts) = Self.edited { blocks, _ in blocks[0]["extraData"] = "0x\u{7F}ab" }
        case "DEL in an address":
            (blocks, receipts) = Self.edited { blocks, _ in
                var transactions = blocks[0]["transactions"] as! [[String: Any]]
                transactions[0]["to"] = "0xAB\u{7F}"
                blocks[0]["transactions"] = transactions
            }
        case "DEL in a list":
            (blocks, receipts) = Self.edited { _, receipts in
                let block = receipts.firstIndex { $0.contains { !($0["logs"] as! [Any]).isEmpty } }!
                let receipt = receipts[block].firstIndex { !($0["logs"] as! [Any]).isEmpty }!
                var logs = receipts[block][receipt]["logs"] as! [[String: Any]]
                logs[0]["topics"] = ["0x\u{7F}", "0x01"]
                receipts[block][receipt]["logs"] = logs
            }
        case "uppercase addresses":
            (blocks, receipts) = Self.edited { blocks, receipts in
                blocks[0]["miner"] = (blocks[0]["miner"] as! String).uppercased().replacingOccurrences(of: "0X", with: "0x")
                var transactions = blocks[0]["transactions"] as! [[String: Any]]
                transactions[1]["from"] = (transactions[1]["from"] as! String).uppercased()
                blocks[0]["transactions"] = transactions
                let index = receipts[1].firstIndex { $0["contractAddress"] is String }!
                receipts[1][index]["contractAddress"] = (receipts[1][index]["contractAddress"] as! String).uppercased()
                var logs = receipts[0][0]["logs"] as! [[String: Any]]
                if !logs.isEmpty { logs[0]["address"] = (logs[0]["address"] as! String).uppercased() }
                receipts[0][0]["logs"] = logs
            }
        case "uppercase hashes in receipts":
            (blocks, receipts) = Self.edited { _, receipts in
                receipts[0][3]["blockHash"] = (receipts[0][3]["blockHash"] as! String).uppercased().replacingOccurrences(of: "0X", with: "0x")
                receipts[0][3]["transactionHash"] = (receipts[0][3]["transactionHash"] as! String).uppercased()
            }
        case "commas in text":
            (blocks, receipts) = Self.edited { blocks, receipts in
                blocks[0]["extraData"] = "0x12,34"
                var transactions = blocks[1]["transactions"] as! [[String: Any]]
                transactions[0]["input"] = "a,b"
                transactions[0]["to"] = "0xAB,cd"
                blocks[1]["transactions"] = transactions
                let index = receipts[0].firstIndex { !(($0["logs"] as! [Any]).isEmpty) }!
                var logs = receipts[0][index]["logs"] as! [[String: Any]]
                logs[0]["data"] = "0x,"
                logs[0]["topics"] = ["0x1,2"]
                receipts[0][index]["logs"] = logs
            }
        case "unknown members":
            (blocks, receipts) = Self.edited { blocks, receipts in
                blocks[0]["zzz"] = ["a": [1, 2.5, true, ["b": NSNull()]], "c": "text \"quoted\" \u{e9}"] as [String: Any]
                var transactions = blocks[0]["transactions"] as! [[String: Any]]
                transactions[0]["extra"] = [[]] as [Any]
                blocks[0]["transactions"] = transactions
                receipts[1][0]["l2"] = NSNull()
            }
        case "null optionals":
            (blocks, receipts) = Self.edited { blocks, receipts in
                for key in ["nonce", "difficulty", "size", "baseFeePerGas", "withdrawalsRoot", "withdrawals", "blobGasUsed", "excessBlobGas"] {
                    blocks[0][key] = NSNull()
                }
                var transactions = blocks[0]["transactions"] as! [[String: Any]]
                for key in ["to", "gasPrice", "maxFeePerGas", "maxPriorityFeePerGas", "type", "maxFeePerBlobGas", "blobVersionedHashes"] {
                    transactions[2][key] = NSNull()
                }
                blocks[0]["transactions"] = transactions
                for key in ["contractAddress", "root", "status", "effectiveGasPrice", "blobGasPrice", "blobGasUsed"] {
                    receipts[0][2][key] = NSNull()
                }
            }
        case "missing optionals":
            (blocks, receipts) = Self.edited { blocks, receipts in
                for key in ["nonce", "difficulty", "size", "baseFeePerGas", "withdrawalsRoot", "withdrawals", "blobGasUsed", "excessBlobGas"] {
                    blocks[1].removeValue(forKey: key)
                }
                var transactions = blocks[1]["transactions"] as! [[String: Any]]
                for key in ["to", "gasPrice", "maxFeePerGas", "type", "blobVersionedHashes"] { transactions[0].removeValue(forKey: key) }
                blocks[1]["transactions"] = transactions
                for key in ["status", "effectiveGasPrice"] { receipts[1][0].removeValue(forKey: key) }
                receipts[1][1]["root"] = "0x" + String(repeating: "ab", count: 32)
            }
        case "total difficulty":
            (blocks, receipts) = Self.edited { blocks, _ in
                blocks[0]["totalDifficulty"] = "0xc70d815d562d3cfa955"
                blocks[1]["totalDifficulty"] = "0x" + String(repeating: "f", count: 70)
            }
        case "wide quantities":
            (blocks, receipts) = Self.edited { blocks, receipts in
                var transactions = blocks[0]["transactions"] as! [[String: Any]]
                transactions[0]["value"] = "0x" + String(repeating: "fedcba9876543210", count: 4)
                transactions[1]["value"] = "0x0000000000000000000000000000001"
                transactions[2]["gas"] = "0XFF"
                blocks[0]["transactions"] = transactions
                receipts[0][0]["cumulativeGasUsed"] = "ff"
            }
        case "OP-stack receipt fields":
            (blocks, receipts) = Self.edited { _, receipts in
                receipts[0][0]["l1Fee"] = "0x1d1a94a2000"
                receipts[0][0]["l1GasUsed"] = "0x6b0"
                receipts[0][0]["l1GasPrice"] = "0x3b9aca00"
                receipts[0][0]["l1FeeScalar"] = "0.684"
                receipts[0][1]["l1FeeScalar"] = "1e-05"
                receipts[0][2]["l1FeeScalar"] = "not a number, really"
            }
        default:
            blocks = Self.blocks.map { try! JSONSerialization.data(withJSONObject: $0, options: [.prettyPrinted, .sortedKeys]) }
            receipts = Self.receipts.map { try! JSONSerialization.data(withJSONObject: $0, options: [.prettyPrinted]) }
        }
        Self.check(blocks, receipts, expected: .written)
    }

    @Test("header-only blocks, empty blocks, and blocks without receipts")
    func shapes() {
        let hashesOnly = Self.edited { blocks, _ in
            for index in blocks.indices {
                blocks[index]["transactions"] = (blocks[index]["transactions"] as! [[String: Any]]).map { $0["hash"]! }
            }
        }
        Self.check(hashesOnly.blocks, nil, entities: [.blocks], expected: .written)
        Self.check(hashesOnly.blocks, hashesOnly.receipts, entities: [.blocks, .receipts, .logs], expected: .written)
        let empty = Self.edited { blocks, receipts in
            blocks[1]["transactions"] = [Any]()
            receipts[1] = []
        }
        Self.check(empty.blocks, empty.receipts, expected: .written)
        Self.check(empty.blocks, nil, entities: [.blocks, .transactions], expected: .written)
    }

    @Test("what the transcoder leaves to the decoding path: it declines", arguments: [
        "escaped text", "non-ASCII text", "malformed quantity", "missing required member", "duplicate member",
        "receipt of another block", "broken parent chain", "receipt missing", "receipt for another transaction",
        "wrong block number", "short transfer word", "transfer address word short", "null required member",
    ])
    func declined(_ name: String) {
        var blocks: [Data]
        var receipts: [Data]
        func text(_ data: Data) -> String { String(decoding: data, as: UTF8.self) }
        switch name {
        case "escaped text":
            (blocks, receipts) = Self.edited { _, _ in }
            let hash = Self.blocks[0]["hash"] as! String
            blocks[0] = Data(text(blocks[0]).replacingOccurrences(of: "\"hash\":\"\(hash)\"", with: "\"hash\":\"\\u0030\(hash.dropFirst())\"").utf8)
        case "non-ASCII text":
            (blocks, receipts) = Self.edited { blocks, _ in blocks[0]["extraData"] = "caf\u{e9}" }
        case "malformed quantity":
            (blocks, receipts) = Self.edited { _, receipts in receipts[1][2]["gasUsed"] = "0xzz" }
        case "missing required member":
            (blocks, receipts) = Self.edited { blocks, _ in
                var transactions = blocks[0]["transactions"] as! [[String: Any]]
                transactions[3].removeValue(forKey: "input")
                blocks[0]["transactions"] = transactions
            }
        case "null required member":
            (blocks, receipts) = Self.edited { blocks, _ in blocks[1]["gasLimit"] = NSNull() }
        case "duplicate member":
            (blocks, receipts) = Self.edited { _, _ in }
            // The block object with a second gasUsed in front of its own.
            blocks[1] = Data(("{\"gasUsed\":\"0x1\"," + text(blocks[1]).dropFirst()).utf8)
        case "receipt of another block":
            (blocks, receipts) = Self.edited { blocks, receipts in receipts[1][0]["blockHash"] = blocks[0]["hash"] }
        case "broken parent chain":
            (blocks, receipts) = Self.edited { blocks, _ in blocks[1]["parentHash"] = blocks[1]["hash"] }
        case "receipt missing":
            (blocks, receipts) = Self.edited { _, receipts in receipts[0].removeLast() }
        case "receipt for another transaction":
            (blocks, receipts) = Self.edited { _, receipts in receipts[0][1]["transactionHash"] = receipts[0][2]["transactionHash"] }
        case "wrong block number":
            (blocks, receipts) = Self.edited { _, receipts in receipts[1][4]["blockNumber"] = "0x5" }
        case "short transfer word":
            (blocks, receipts) = Self.edited { _, receipts in
                let (receipt, log) = Self.transferLog(receipts, topics: 3)
                var logs = receipts[1][receipt]["logs"] as! [[String: Any]]
                logs[log]["data"] = "0x" + String(repeating: "1", count: 63)
                receipts[1][receipt]["logs"] = logs
            }
        default: // "transfer address word short"
            (blocks, receipts) = Self.edited { _, receipts in
                let (receipt, log) = Self.transferLog(receipts, topics: 3)
                var logs = receipts[1][receipt]["logs"] as! [[String: Any]]
                var topics = logs[log]["topics"] as! [String]
                topics[1] = "0x1234"
                logs[log]["topics"] = topics
                receipts[1][receipt]["logs"] = logs
            }
        }
        Self.check(blocks, receipts, expected: .declined)
    }

    /// Receipt and log index of a Transfer log with `topics` topics in block 6.
    static func transferLog(_ receipts: [[[String: Any]]], topics: Int) -> (Int, Int) {
        for (receiptIndex, receipt) in receipts[1].enumerated() {
            for (logIndex, log) in (receipt["logs"] as! [[String: Any]]).enumerated()
            where (log["topics"] as! [String]).count == topics && (log["topics"] as! [String])[0] == TokenTransferMapper.transferTopic {
                return (receiptIndex, logIndex)
            }
        }
        fatalError("no transfer log with \(topics) topics in the fixture")
    }

    @Test("random edits of random string members: the transcoder writes the decoding path's bytes or declines")
    func randomEdits() {
        var generator = SeededGenerator(state: 20261130)
        var outcomes = (written: 0, declined: 0, bothRefused: 0, parquetWritten: 0)
        let variants: [(String) -> Any?] = [
            { $0.uppercased() }, { _ in NSNull() }, { _ in nil }, { $0 + "," }, { _ in "0x" }, { _ in "" },
            { "0x" + String($0.dropFirst(2)).uppercased() }, { "0x000" + $0.dropFirst(2) }, { $0 + "g" }, { _ in 7 },
            // Text the decoding path takes and the transcoder leaves to it: non-ASCII, an escaped quote.
            { $0 + "\u{e9}" }, { $0 + "\"" },
        ]
        for _ in 0..<400 {
            var blocks = Self.blocks
            var receipts = Self.receipts
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                let variant = variants.randomElement(using: &generator)!
                switch Int.random(in: 0..<4, using: &generator) {
                case 0:
                    let block = Int.random(in: 0..<2, using: &generator)
                    Self.mutate(&blocks[block], variant, &generator)
                case 1:
                    let block = Int.random(in: 0..<2, using: &generator)
                    var transactions = blocks[block]["transactions"] as! [[String: Any]]
                    Self.mutate(&transactions[Int.random(in: 0..<transactions.count, using: &generator)], variant, &generator)
                    blocks[block]["transactions"] = transactions
                case 2:
                    let block = Int.random(in: 0..<2, using: &generator)
                    Self.mutate(&receipts[block][Int.random(in: 0..<receipts[block].count, using: &generator)], variant, &generator)
                default:
                    let block = Int.random(in: 0..<2, using: &generator)
                    guard let receipt = receipts[block].indices.filter({ !(receipts[block][$0]["logs"] as! [Any]).isEmpty }).randomElement(using: &generator) else { continue }
                    var logs = receipts[block][receipt]["logs"] as! [[String: Any]]
                    Self.mutate(&logs[Int.random(in: 0..<logs.count, using: &generator)], variant, &generator)
                    receipts[block][receipt]["logs"] = logs
                }
            }
            let blockData = blocks.map(Self.json)
            let receiptData = receipts.map(Self.json)
            let reference = Self.decoded(blockData, receiptData)
            let ours = Self.transcoded(blockData, receiptData)
            // Parquet cells: the same file as the decoding path's, or declined (never written
            // where the decoding path's Parquet writer refuses a value).
            let parquetReference = Self.decoded(blockData, receiptData, format: .parquet)
            if let parquet = Self.transcoded(blockData, receiptData, format: .parquet) {
                outcomes.parquetWritten += 1
                #expect(parquetReference != nil, "Parquet written where the decoding path refuses")
                for entity in Self.entities where parquet[entity] != parquetReference?[entity] {
                    Issue.record("\(entity.rawValue).parquet differs after edits")
                }
            }
            if let ours {
                outcomes.written += 1
                #expect(reference != nil, "written where the decoding path refuses")
                for entity in Self.entities where ours[entity] != reference?[entity] {
                    Issue.record("\(entity.rawValue) differs after edits")
                }
            } else if reference != nil {
                outcomes.declined += 1
            } else {
                outcomes.bothRefused += 1
            }
        }
        // The edits exercise all three outcomes, or the test proves little.
        #expect(outcomes.written > 40 && outcomes.declined > 10 && outcomes.bothRefused > 40 && outcomes.parquetWritten > 40, "\(outcomes)")
    }

    /// Replaces one string member of `object` (not a list or object) by `variant` of it; nil removes it.
    static func mutate(_ object: inout [String: Any], _ variant: (String) -> Any?, _ generator: inout SeededGenerator) {
        let keys = object.keys.filter { object[$0] is String }.sorted()
        guard let key = keys.randomElement(using: &generator) else { return }
        object[key] = variant(object[key] as! String)
    }

    @Test("hex to decimal into a buffer agrees with HexText.decimal, valid or not")
    func appendDecimal() {
        var generator = SeededGenerator(state: 7)
        let alphabet = Array("0123456789abcdefABCDEF")
        for _ in 0..<5000 {
            var text = ["", "0x", "0X"].randomElement(using: &generator)!
            if Bool.random(using: &generator) { text += String(repeating: "0", count: Int.random(in: 0...20, using: &generator)) }
            for _ in 0..<Int.random(in: 0...80, using: &generator) { text.append(alphabet.randomElement(using: &generator)!) }
            if Int.random(in: 0..<10, using: &generator) == 0 { text.insert("g", at: text.index(text.startIndex, offsetBy: Int.random(in: 0...text.count, using: &generator))) }
            var out: [UInt8] = [0x2C]
            let written = Array(text.utf8).withUnsafeBufferPointer { HexText.appendDecimal($0, to: &out) }
            let expected = HexText.decimal(text)
            #expect(written == (expected != nil), "\(text)")
            #expect(String(decoding: out.dropFirst(), as: UTF8.self) == (expected ?? ""), "\(text)")
        }
    }
}
