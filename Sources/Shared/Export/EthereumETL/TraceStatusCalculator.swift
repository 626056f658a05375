// ethereum-etl's trace_status_calculator: a trace failed if it or any trace above it failed.

/// Mirrors `calculate_trace_statuses`: status 0 for a trace with a non-empty error, else 1; then,
/// within each transaction, every trace whose parent failed fails too, whatever its type (a
/// suicide, or geth's `create2`, under a reverted call is undone with it).
public enum TraceStatusCalculator {
    public static func apply(_ traces: inout [TraceRecord], block: UInt64?) throws(ExportError) {
        for index in traces.indices {
            traces[index].status = (traces[index].error?.isEmpty == false) ? 0 : 1
        }
        // Both sources list a transaction's traces together: walk them as runs, without hashing
        // every trace's hash and address (that was most of this calculation's cost). A hash seen
        // again after another transaction's traces takes the general grouping below.
        if try applyByRuns(&traces, block: block) { return }
        var byTransaction: [String: [Int]] = [:]
        var order: [String] = []
        for index in traces.indices {
            guard let hash = traces[index].transactionHash, !hash.isEmpty else { continue }
            if byTransaction[hash] == nil { order.append(hash) }
            byTransaction[hash, default: []].append(index)
        }
        for hash in order {
            try propagate(byTransaction[hash]![...], hash: hash, in: &traces, block: block)
        }
    }

    /// The same grouping when each transaction's traces come together (traces without a hash may
    /// sit between them): returns false, having failed nobody, when a hash comes back later.
    private static func applyByRuns(_ traces: inout [TraceRecord], block: UInt64?) throws(ExportError) -> Bool {
        // Each run's traces are `members[start..<next run's start]`.
        var runs: [(hash: String, start: Int)] = []
        var members: [Int] = []
        members.reserveCapacity(traces.count)
        var seen: Set<String> = []
        for index in traces.indices {
            guard let hash = traces[index].transactionHash, !hash.isEmpty else { continue }
            if runs.isEmpty || runs[runs.count - 1].hash != hash {
                guard seen.insert(hash).inserted else { return false }
                runs.append((hash, members.count))
            }
            members.append(index)
        }
        for (position, run) in runs.enumerated() {
            let end = position + 1 < runs.count ? runs[position + 1].start : members.count
            try propagate(members[run.start..<end], hash: run.hash, in: &traces, block: block)
        }
        return true
    }

    /// One transaction's traces (in node order): parents (shorter addresses) first,
    /// node order within a length, as Python's stable sort orders them; a trace's parent is the
    /// last trace with its address minus the last index (a dict comprehension keeps the last).
    private static func propagate(_ members: ArraySlice<Int>, hash: String, in traces: inout [TraceRecord], block: UInt64?) throws(ExportError) {
        // Small transactions (nearly all) search their few members; deep ones use a dictionary.
        if members.count <= 32 {
            var longest = 0
            for index in members { longest = max(longest, traces[index].traceAddress?.count ?? 0) }
            guard longest > 0 else { return }
            for length in 1...longest {
                for index in members where (traces[index].traceAddress?.count ?? 0) == length {
                    let address = traces[index].traceAddress ?? []
                    var parent: Int?
                    for candidate in members.reversed() {
                        let other = traces[candidate].traceAddress ?? []
                        if other.count == length - 1, other.elementsEqual(address.prefix(length - 1)) {
                            parent = candidate
                            break
                        }
                    }
                    guard let parent else { throw missingParent(address, hash: hash, block: block) }
                    if traces[parent].status == 0 { traces[index].status = 0 }
                }
            }
            return
        }
        let sorted = members.enumerated().sorted { a, b in
            let (la, lb) = (traces[a.element].traceAddress?.count ?? 0, traces[b.element].traceAddress?.count ?? 0)
            return la != lb ? la < lb : a.offset < b.offset
        }.map(\.element)
        var byAddress: [[Int]: Int] = [:]
        for index in sorted { byAddress[traces[index].traceAddress ?? []] = index }
        for index in sorted {
            let address = traces[index].traceAddress ?? []
            guard !address.isEmpty else { continue }
            guard let parent = byAddress[Array(address.dropLast())] else { throw missingParent(address, hash: hash, block: block) }
            if traces[parent].status == 0 { traces[index].status = 0 }
        }
    }

    private static func missingParent(_ address: [Int], hash: String, block: UInt64?) -> ExportError {
        ExportError(.missingField, block: block, field: "traceAddress",
                    "a parent trace for trace with trace_address \(address) in transaction \(hash) is not found")
    }
}
