// One block's trace rows as spans over its result's bytes, with ethereum-etl's statuses and ids.

import Foundation

/// A text cell of a trace row: a span of the result, a fixed word, or text from elsewhere
/// (geth's rows take their transaction hash from the block).
enum TraceText {
    case null
    case span(JSONSpan)
    case literal(StaticString)
    case text(String)

    /// `.span`, or `.null` for a null or absent span.
    init(_ span: JSONSpan) {
        self = span.isNull ? .null : .span(span)
    }

    /// Runs `body` on the text's bytes (nil for null).
    @inline(__always)
    func withBytes<Result>(in base: UnsafePointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>?) -> Result) -> Result {
        switch self {
        case .null: body(nil)
        case .span(let span): body(span.bytes(in: base))
        case .literal(let word): body(UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount))
        case .text(var text): text.withUTF8 { body($0) }
        }
    }

    func string(in base: UnsafePointer<UInt8>) -> String? {
        withBytes(in: base) { $0.map { String(decoding: $0, as: UTF8.self) } }
    }
}

/// One trace's cells as `TraceRecord` holds them, before statuses and ids: spans of the result
/// (quantities still hex, addresses not yet lower-cased).
struct TraceRow {
    var blockNumber: UInt64?
    var transactionHash = TraceText.null
    var transactionIndex: Int?
    /// Lower-cased when written.
    var from = JSONSpan.null
    var to = JSONSpan.null
    /// False for parity's create, whose new address is written as the node sends it.
    var lowercasesTo = true
    var value = JSONSpan.null
    var input = JSONSpan.null
    var output = JSONSpan.null
    var traceType = TraceText.null
    var callType = TraceText.null
    var rewardType = JSONSpan.null
    var gas = JSONSpan.null
    var gasUsed = JSONSpan.null
    var subtraces: Int?
    /// The trace address's items in `TraceRows.addresses`.
    var addresses: Range<Int> = 0..<0
    var error = JSONSpan.null
    /// A create (or geth's create2): a contract when it succeeded.
    var isCreation = false
}

/// One block's rows over the bytes of its result, with what they need beyond the spans:
/// statuses and block-scoped ids (when the rows are completed, as parity's always are).
struct TraceRows {
    typealias Declined = CSVTranscoder.Declined

    let rows: [TraceRow]
    let addresses: [Int]
    let base: UnsafePointer<UInt8>
    let number: UInt64
    /// ethereum-etl's status of each row; nil when the rows are not completed (geth's
    /// `ethereum-etl` style: no status, id or contract).
    private(set) var statuses: [Int]?
    private(set) var blockScopedIDs: [Int: String] = [:]

    var count: Int { rows.count }

    /// Rows with statuses and ids calculated when `completes`.
    init(rows: [TraceRow], addresses: [Int], base: UnsafePointer<UInt8>, number: UInt64, completes: Bool) throws(Declined) {
        self.rows = rows
        self.addresses = addresses
        self.base = base
        self.number = number
        guard completes else { return }
        statuses = rows.map { $0.error.count > 0 ? 0 : 1 }
        try calculateStatuses()
        blockScopedIDs = try makeBlockScopedIDs()
    }

    /// The trace address of row `index`.
    func address(_ index: Int) -> ArraySlice<Int> { addresses[rows[index].addresses] }

    // MARK: Statuses

    /// `TraceStatusCalculator.apply` when each transaction's rows come together, as both
    /// sources send them; a transaction whose rows come back later declines.
    private mutating func calculateStatuses() throws(Declined) {
        var members: [Int] = []
        members.reserveCapacity(rows.count)
        var runs: [(row: Int, start: Int)] = []
        var seen: Set<Int> = []
        for index in rows.indices where hasHash(index) {
            if runs.isEmpty || !sameHash(runs[runs.count - 1].row, index) {
                // Distinct hashes that hash alike decline too: rare, and safe.
                guard seen.insert(hashKey(index)).inserted else {
                    throw Declined("block \(number): a transaction's traces are not together")
                }
                runs.append((index, members.count))
            }
            members.append(index)
        }
        for (position, run) in runs.enumerated() {
            let end = position + 1 < runs.count ? runs[position + 1].start : members.count
            try propagate(members[run.start..<end])
        }
    }

    /// Whether row `index` names a transaction (a non-empty hash).
    private func hasHash(_ index: Int) -> Bool {
        rows[index].transactionHash.withBytes(in: base) { $0.map { !$0.isEmpty } ?? false }
    }

    private func sameHash(_ a: Int, _ b: Int) -> Bool {
        rows[a].transactionHash.withBytes(in: base) { left in
            rows[b].transactionHash.withBytes(in: base) { right in
                guard let left, let right else { return left == nil && right == nil }
                return left.count == right.count && (left.isEmpty || memcmp(left.baseAddress!, right.baseAddress!, left.count) == 0)
            }
        }
    }

    private func hashKey(_ index: Int) -> Int {
        rows[index].transactionHash.withBytes(in: base) { bytes in
            var hasher = Hasher()
            if let bytes { hasher.combine(bytes: UnsafeRawBufferPointer(bytes)) }
            return hasher.finalize()
        }
    }

    /// `TraceStatusCalculator.propagate`: parents (shorter addresses) first; a trace's parent is
    /// the last trace with its address minus the last index.
    private mutating func propagate(_ members: ArraySlice<Int>) throws(Declined) {
        if members.count <= 32 {
            var longest = 0
            for index in members { longest = max(longest, address(index).count) }
            guard longest > 0 else { return }
            for length in 1...longest {
                for index in members where address(index).count == length {
                    let prefix = address(index).dropLast()
                    guard let parent = members.last(where: { address($0).count == length - 1 && address($0).elementsEqual(prefix) }) else {
                        throw Declined("block \(number): a trace without its parent")
                    }
                    if statuses![parent] == 0 { statuses![index] = 0 }
                }
            }
            return
        }
        let sorted = members.enumerated().sorted { a, b in
            let (la, lb) = (address(a.element).count, address(b.element).count)
            return la != lb ? la < lb : a.offset < b.offset
        }.map(\.element)
        var byAddress: [ArraySlice<Int>: Int] = [:]
        for index in sorted { byAddress[address(index)] = index }
        for index in sorted where !address(index).isEmpty {
            guard let parent = byAddress[address(index).dropLast()] else { throw Declined("block \(number): a trace without its parent") }
            if statuses![parent] == 0 { statuses![index] = 0 }
        }
    }

    // MARK: Ids

    /// The ids of rows without a transaction (rewards, genesis), by index: few a block, so they
    /// are made as `TraceIDCalculator` makes them, from records of the columns it sorts by.
    private func makeBlockScopedIDs() throws(Declined) -> [Int: String] {
        var indexes: [Int] = []
        var records: [TraceRecord] = []
        for index in rows.indices where !hasHash(index) {
            let row = rows[index]
            var record = TraceRecord(blockNumber: row.blockNumber)
            record.traceType = row.traceType.string(in: base)
            record.rewardType = text(row.rewardType)
            record.fromAddress = text(row.from)?.asciiLowercased
            record.toAddress = row.lowercasesTo ? text(row.to)?.asciiLowercased : text(row.to)
            if let value = text(row.value) {
                guard let decimal = HexText.decimal(value) else { throw Declined("block \(number): a value is not hex") }
                record.value = decimal
            }
            indexes.append(index)
            records.append(record)
        }
        guard !records.isEmpty else { return [:] }
        TraceIDCalculator.apply(&records)
        var ids: [Int: String] = [:]
        for (index, record) in zip(indexes, records) { ids[index] = record.traceID }
        return ids
    }

    private func text(_ span: JSONSpan) -> String? {
        span.isNull ? nil : String(decoding: span.bytes(in: base), as: UTF8.self)
    }

    // MARK: Rows

    /// Each row, in `TraceMapper.encodedColumns` order (`keys` for JSON lines, nil for CSV).
    func write(keys: [[UInt8]]?, to out: inout [UInt8]) throws(Declined) {
        var id: [UInt8] = []
        for index in rows.indices {
            let row = rows[index]
            var cells = TraceLineCells(keys: keys)
            cells.unsigned(row.blockNumber, &out)
            cells.text(row.transactionHash, in: base, &out)
            cells.integer(row.transactionIndex, &out)
            cells.address(row.from, in: base, &out)
            if row.lowercasesTo {
                cells.address(row.to, in: base, &out)
            } else {
                cells.text(row.to, in: base, &out)
            }
            try cells.quantity(row.value, in: base, &out)
            cells.text(row.input, in: base, &out)
            cells.text(row.output, in: base, &out)
            cells.text(row.traceType, in: base, &out)
            cells.text(row.callType, in: base, &out)
            cells.text(row.rewardType, in: base, &out)
            try cells.quantity(row.gas, in: base, &out)
            try cells.quantity(row.gasUsed, in: base, &out)
            cells.integer(row.subtraces, &out)
            cells.integers(address(index), &out)
            cells.text(row.error, in: base, &out)
            cells.integer(statuses?[index], &out)
            if statuses == nil {
                cells.text(nil as String?, &out)
            } else if let blockScoped = blockScopedIDs[index] {
                cells.text(blockScoped, &out)
            } else {
                transactionScopedID(index, into: &id)
                id.withUnsafeBufferPointer { cells.plainText($0, &out) }
            }
            cells.end(&out)
        }
    }

    /// `TraceIDCalculator.transactionScopedID`'s bytes: `{type}_{hash}_{address joined by _}`.
    private func transactionScopedID(_ index: Int, into id: inout [UInt8]) {
        id.removeAll(keepingCapacity: true)
        rows[index].traceType.withBytes(in: base) { id.append(contentsOf: $0 ?? UnsafeBufferPointer(start: Self.none.utf8Start, count: 4)) }
        id.append(UInt8(ascii: "_"))
        rows[index].transactionHash.withBytes(in: base) { if let hash = $0 { id.append(contentsOf: hash) } }
        id.append(UInt8(ascii: "_"))
        for (position, value) in address(index).enumerated() {
            if position > 0 { id.append(UInt8(ascii: "_")) }
            TraceLineCells.appendInteger(value, to: &id)
        }
    }

    private static let none: StaticString = "None"

    // MARK: Contracts

    /// `ContractRecord.fromTraces`: successful creations with an address.
    func contracts() -> [ContractRecord] {
        guard let statuses else { return [] }
        var contracts: [ContractRecord] = []
        for index in rows.indices where statuses[index] == 1 && rows[index].isCreation && rows[index].to.count > 0 {
            let row = rows[index]
            let address = row.lowercasesTo ? text(row.to)?.asciiLowercased : text(row.to)
            contracts.append(ContractRecord(address: address, bytecode: text(row.output), blockNumber: row.blockNumber))
        }
        return contracts
    }
}
