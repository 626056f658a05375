// Trace rows written straight from trace_block's bytes, with the contracts found in them.

import Foundation

/// Writes a window's trace rows (CSV without header, or JSON lines) from the spans of its
/// `trace_block` results, with ethereum-etl's statuses and trace ids, and finds its contracts.
///
/// Why: the record path decodes every member of ~140 traces a block into a `String`, copies them
/// into `TraceRecord`s, builds an id string per trace and then writes them out: allocation,
/// reference counting and the copies were about a fifth of an eight-entity export's CPU.
///
/// Like `CSVTranscoder`, an optimisation and never a second opinion: it writes the bytes
/// `TraceRecord.parityBlock` → `TraceMapper.encode` write, and the contracts
/// `ContractRecord.fromTraces` finds, for what it accepts. Anything else — a result the span
/// reading gave up on, a trace of another block or transaction, a transaction whose traces are
/// not together, a trace without its parent, malformed hex — declines the window, which the
/// exporter then fetches and writes through the record path, so every error stays that path's.
enum TraceTranscoder {
    typealias Declined = CSVTranscoder.Declined

    /// Whether rows in `format` can be written this way.
    static func handles(_ format: RowFormat) -> Bool {
        TraceMapper.encodes && (format == .csv || format == .json)
    }

    /// The rows of the blocks of `range`, one `trace_block` result each. `transactionHashes`
    /// (each block's, in order) are checked as `TraceFetcher` checks them.
    static func encode(_ results: [TraceSpans], range: ClosedRange<UInt64>, transactionHashes: [[String]]?,
                       format: RowFormat) throws(Declined) -> EncodedTraces {
        guard handles(format) else { throw Declined("trace rows in \(format) are the record path's") }
        let count = Int(range.upperBound - range.lowerBound) + 1
        guard results.count == count else { throw Declined("\(results.count) trace results for \(count) blocks") }
        let keys = format == .json ? TraceMapper.jsonKeys : nil
        var encoded = EncodedTraces(rows: [], count: 0, contracts: [])
        encoded.rows.reserveCapacity(results.reduce(0) { $0 + $1.bytes.count })
        for (offset, result) in results.enumerated() {
            let number = range.lowerBound + UInt64(offset)
            guard let parsed = result.parsed else { throw Declined("block \(number): traces left to the record path") }
            guard !parsed.traces.isEmpty else {
                encoded.contracts.append([])
                continue
            }
            try result.bytes.withBytes { bytes throws(Declined) in
                guard let base = bytes.baseAddress else { throw Declined("empty trace result") }
                var block = BlockTraces(parsed: parsed, base: base, number: number)
                try block.check(transactionHashes?[offset])
                try block.calculateStatuses()
                let blockScopedIDs = try block.blockScopedIDs()
                try block.write(keys: keys, blockScopedIDs: blockScopedIDs, to: &encoded.rows)
                encoded.contracts.append(block.contracts())
            }
            encoded.count += parsed.traces.count
        }
        return encoded
    }
}

/// A window's trace rows in the export's line format, and the contracts of each block.
struct EncodedTraces: Sendable {
    var rows: [UInt8]
    var count: Int
    var contracts: [[ContractRecord]]
}

/// One block's traces over the bytes of its result, with what the rows need beyond the spans.
private struct BlockTraces {
    typealias Declined = CSVTranscoder.Declined

    let traces: [ParityTraceSpans]
    let addresses: [Int]
    let base: UnsafePointer<UInt8>
    let number: UInt64
    /// What each trace's type makes of its members.
    let kinds: [TraceCells.Kind]
    /// ethereum-etl's status of each trace.
    var statuses: [Int]

    init(parsed: TraceSpans.Parsed, base: UnsafePointer<UInt8>, number: UInt64) {
        traces = parsed.traces
        addresses = parsed.addresses
        self.base = base
        self.number = number
        kinds = parsed.traces.map { TraceCells.Kind($0.type.isNull ? nil : $0.type.bytes(in: base)) }
        statuses = parsed.traces.map { $0.error.count > 0 ? 0 : 1 }
    }

    func cells(_ index: Int) -> TraceCells { TraceCells(traces[index], kind: kinds[index]) }

    func bytes(_ span: JSONSpan) -> UnsafeBufferPointer<UInt8> { span.bytes(in: base) }

    /// The trace address of trace `index`; a missing one is `[]`, as `TraceRecord` reads it.
    func address(_ index: Int) -> ArraySlice<Int> { addresses[traces[index].addresses ?? 0..<0] }

    /// `TraceFetcher`'s checks of a block's answer: no trace of another block, and each trace's
    /// transaction the block's at its position.
    func check(_ hashes: [String]?) throws(Declined) {
        for trace in traces {
            if let other = trace.blockNumber, other != number { throw Declined("block \(number): a trace of block \(other)") }
            guard let hashes, !trace.transactionHash.isNull, let position = trace.transactionPosition else { continue }
            guard hashes.indices.contains(position), Self.equalIgnoringCase(hashes[position], bytes(trace.transactionHash)) else {
                throw Declined("block \(number): a trace names another transaction than the block's at its position")
            }
        }
    }

    // MARK: Statuses

    /// `TraceStatusCalculator.apply` when each transaction's traces come together, as both
    /// sources send them; a transaction whose traces come back later declines.
    mutating func calculateStatuses() throws(Declined) {
        var members: [Int] = []
        members.reserveCapacity(traces.count)
        var runs: [(hash: JSONSpan, start: Int)] = []
        var seen: Set<Int> = []
        for index in traces.indices {
            let hash = traces[index].transactionHash
            guard hash.count > 0 else { continue }
            if runs.isEmpty || !Self.equal(bytes(runs[runs.count - 1].hash), bytes(hash)) {
                // Distinct hashes that hash alike decline too: rare, and safe.
                var hasher = Hasher()
                hasher.combine(bytes: UnsafeRawBufferPointer(bytes(hash)))
                guard seen.insert(hasher.finalize()).inserted else {
                    throw Declined("block \(number): a transaction's traces are not together")
                }
                runs.append((hash, members.count))
            }
            members.append(index)
        }
        for (position, run) in runs.enumerated() {
            let end = position + 1 < runs.count ? runs[position + 1].start : members.count
            try propagate(members[run.start..<end])
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
                    if statuses[parent] == 0 { statuses[index] = 0 }
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
            if statuses[parent] == 0 { statuses[index] = 0 }
        }
    }

    private static func equalIgnoringCase(_ text: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var text = text
        return text.withUTF8 { $0.equalsIgnoringASCIICase(bytes) }
    }

    private static func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        a.count == b.count && (a.isEmpty || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0)
    }

    // MARK: Ids

    /// The ids of traces without a transaction (rewards, genesis), by index: few a block, so
    /// they are made as `TraceIDCalculator` makes them, from records of the columns it sorts by.
    func blockScopedIDs() throws(Declined) -> [Int: String] {
        var indexes: [Int] = []
        var records: [TraceRecord] = []
        for index in traces.indices where traces[index].transactionHash.count <= 0 {
            let cells = cells(index)
            var record = TraceRecord(blockNumber: traces[index].blockNumber)
            record.traceType = text(traces[index].type)
            record.rewardType = text(cells.rewardType)
            record.fromAddress = text(cells.from)?.asciiLowercased
            record.toAddress = cells.lowercasesTo ? text(cells.to)?.asciiLowercased : text(cells.to)
            if let value = text(cells.value) {
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
        span.isNull ? nil : String(decoding: bytes(span), as: UTF8.self)
    }

    // MARK: Rows

    /// Each trace's row, in `TraceMapper.encodedColumns` order.
    func write(keys: [[UInt8]]?, blockScopedIDs: [Int: String], to out: inout [UInt8]) throws(Declined) {
        var id: [UInt8] = []
        for index in traces.indices {
            let trace = traces[index]
            let cells = cells(index)
            var row = TraceLineCells(keys: keys)
            row.unsigned(trace.blockNumber, &out)
            row.text(trace.transactionHash, in: base, &out)
            row.integer(trace.transactionPosition, &out)
            row.address(cells.from, in: base, &out)
            if cells.lowercasesTo {
                row.address(cells.to, in: base, &out)
            } else {
                row.text(cells.to, in: base, &out)
            }
            try row.quantity(cells.value, in: base, &out)
            row.text(cells.input, in: base, &out)
            row.text(cells.output, in: base, &out)
            row.text(trace.type, in: base, &out)
            row.text(cells.callType, in: base, &out)
            row.text(cells.rewardType, in: base, &out)
            try row.quantity(cells.gas, in: base, &out)
            try row.quantity(cells.gasUsed, in: base, &out)
            row.integer(trace.subtraces, &out)
            row.integers(address(index), &out)
            // An empty error is no error.
            row.text(trace.error.count > 0 ? trace.error : .null, in: base, &out)
            row.integer(statuses[index], &out)
            if let blockScoped = blockScopedIDs[index] {
                row.text(blockScoped, &out)
            } else {
                transactionScopedID(index, into: &id)
                id.withUnsafeBufferPointer { row.plainText($0, &out) }
            }
            row.end(&out)
        }
    }

    /// `TraceIDCalculator.transactionScopedID`'s bytes: `{type}_{hash}_{address joined by _}`.
    private func transactionScopedID(_ index: Int, into id: inout [UInt8]) {
        id.removeAll(keepingCapacity: true)
        let trace = traces[index]
        if trace.type.isNull {
            id.append(contentsOf: "None".utf8)
        } else {
            id.append(contentsOf: bytes(trace.type))
        }
        id.append(UInt8(ascii: "_"))
        id.append(contentsOf: bytes(trace.transactionHash))
        id.append(UInt8(ascii: "_"))
        for (position, value) in address(index).enumerated() {
            if position > 0 { id.append(UInt8(ascii: "_")) }
            TraceLineCells.appendInteger(value, to: &id)
        }
    }

    // MARK: Contracts

    /// `ContractRecord.fromTraces`: successful create traces with an address.
    func contracts() -> [ContractRecord] {
        var contracts: [ContractRecord] = []
        for index in traces.indices where statuses[index] == 1 {
            let cells = cells(index)
            guard cells.kind == .create, cells.to.count > 0 else { continue }
            contracts.append(ContractRecord(address: text(cells.to), bytecode: text(cells.output), blockNumber: traces[index].blockNumber))
        }
        return contracts
    }
}

/// Which member each column of a trace takes, by its type, as `TraceRecord(parity:)` sets them;
/// null where the type sets nothing.
private struct TraceCells {
    enum Kind {
        case call, create, suicide, reward, other

        /// The type's text, exactly (as `TraceRecord(parity:)` switches on it).
        init(_ type: UnsafeBufferPointer<UInt8>?) {
            guard let type else { self = .other; return }
            if Self.matches(type, "call") {
                self = .call
            } else if Self.matches(type, "create") {
                self = .create
            } else if Self.matches(type, "suicide") {
                self = .suicide
            } else if Self.matches(type, "reward") {
                self = .reward
            } else {
                self = .other
            }
        }

        @inline(__always)
        private static func matches(_ bytes: UnsafeBufferPointer<UInt8>, _ word: StaticString) -> Bool {
            bytes.count == word.utf8CodeUnitCount && memcmp(bytes.baseAddress!, word.utf8Start, bytes.count) == 0
        }
    }

    var kind = Kind.other
    var from = JSONSpan.null
    var to = JSONSpan.null
    /// The new contract's address of a create is written as the node sends it.
    var lowercasesTo = true
    var value = JSONSpan.null
    var input = JSONSpan.null
    var output = JSONSpan.null
    var callType = JSONSpan.null
    var rewardType = JSONSpan.null
    var gas = JSONSpan.null
    var gasUsed = JSONSpan.null

    init(_ trace: ParityTraceSpans, kind: Kind) {
        let action = trace.action
        let result = trace.result
        self.kind = kind
        switch kind {
        case .call:
            from = action[.from]
            value = action[.value]
            gas = action[.gas]
            gasUsed = result[.gasUsed]
            callType = action[.callType]
            to = action[.to]
            input = action[.input]
            output = result[.output]
        case .create:
            from = action[.from]
            value = action[.value]
            gas = action[.gas]
            gasUsed = result[.gasUsed]
            to = result[.address]
            lowercasesTo = false
            input = action[.initCode]
            output = result[.code]
        case .suicide:
            from = action[.address]
            to = action[.refundAddress]
            value = action[.balance]
        case .reward:
            to = action[.author]
            value = action[.value]
            rewardType = action[.rewardType]
        case .other:
            break
        }
    }
}
