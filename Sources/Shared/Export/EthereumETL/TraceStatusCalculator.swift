// ethereum-etl's trace_status_calculator: a trace failed if it or any call/create above it failed.

/// Mirrors `calculate_trace_statuses`: status 0 for a trace with a non-empty error, else 1; then,
/// within each transaction, a call or create whose parent call/create failed fails too.
public enum TraceStatusCalculator {
    public static func apply(_ traces: inout [TraceRecord], block: UInt64?) throws(ExportError) {
        for index in traces.indices {
            traces[index].status = (traces[index].error?.isEmpty == false) ? 0 : 1
        }
        var byTransaction: [String: [Int]] = [:]
        var order: [String] = []
        for index in traces.indices {
            guard let hash = traces[index].transactionHash, !hash.isEmpty else { continue }
            if byTransaction[hash] == nil { order.append(hash) }
            byTransaction[hash, default: []].append(index)
        }
        for hash in order {
            // Python's sort is stable: parents (shorter addresses) first, node order within a length.
            let members = byTransaction[hash]!.filter { traces[$0].traceType == "call" || traces[$0].traceType == "create" }
            let sorted = members.enumerated().sorted { a, b in
                let (la, lb) = (traces[a.element].traceAddress?.count ?? 0, traces[b.element].traceAddress?.count ?? 0)
                return la != lb ? la < lb : a.offset < b.offset
            }.map(\.element)
            // A dict comprehension keeps the last trace of equal addresses.
            var byAddress: [[Int]: Int] = [:]
            for index in sorted { byAddress[traces[index].traceAddress ?? []] = index }
            for index in sorted {
                let address = traces[index].traceAddress ?? []
                guard !address.isEmpty else { continue }
                guard let parent = byAddress[Array(address.dropLast())] else {
                    throw ExportError(.missingField, block: block, field: "traceAddress",
                                      "a parent trace for trace with trace_address \(address) in transaction \(hash) is not found")
                }
                if traces[parent].status == 0 { traces[index].status = 0 }
            }
        }
    }
}
