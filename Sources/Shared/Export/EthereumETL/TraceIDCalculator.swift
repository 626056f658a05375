// ethereum-etl's trace_id_calculator: ids from the transaction and trace address, or per block.

/// Mirrors `calculate_trace_ids`: a transaction's trace is `{type}_{tx hash}_{address joined by _}`;
/// a block-scoped trace (reward, genesis) is `{type}_{block}_{index}`, the index counting the
/// block's traces of that type sorted by (reward type, from, to, value) as Python sorts them.
public enum TraceIDCalculator {
    public static func apply(_ traces: inout [TraceRecord]) {
        var blockScoped: [UInt64?: [String?: [Int]]] = [:]
        for index in traces.indices {
            if let hash = traces[index].transactionHash, !hash.isEmpty {
                traces[index].traceID = transactionScopedID(type: traces[index].traceType ?? "None", hash: hash,
                                                            address: traces[index].traceAddress ?? [])
            } else {
                blockScoped[traces[index].blockNumber, default: [:]][traces[index].traceType, default: []].append(index)
            }
        }
        for types in blockScoped.values {
            for members in types.values {
                let sorted = members.enumerated().sorted { a, b in
                    let (x, y) = (traces[a.element], traces[b.element])
                    for (l, r) in [(x.rewardType, y.rewardType), (x.fromAddress, y.fromAddress), (x.toAddress, y.toAddress)] where l != r {
                        return pythonLess(l, r)
                    }
                    if x.value != y.value { return decimalLess(x.value, y.value) }
                    return a.offset < b.offset
                }.map(\.element)
                for (position, index) in sorted.enumerated() {
                    let block = traces[index].blockNumber.map(String.init) ?? "None"
                    traces[index].traceID = "\(traces[index].traceType ?? "None")_\(block)_\(position)"
                }
            }
        }
    }

    /// `{type}_{hash}_{address joined by _}`, written into one string of the right size (the
    /// interpolation of a joined list made four strings a trace).
    static func transactionScopedID(type: String, hash: String, address: [Int]) -> String {
        var id = ""
        id.reserveCapacity(type.utf8.count + hash.utf8.count + 2 + address.count * 3)
        id.append(type)
        id.append("_")
        id.append(hash)
        id.append("_")
        for (position, index) in address.enumerated() {
            if position > 0 { id.append("_") }
            id.append(index >= 0 ? HexText.decimalText(UInt64(index)) : String(index))
        }
        return id
    }

    /// Python compares str by code point; None sorts equal to None (a tie only arises between two
    /// Nones, as mixing None and str would raise in Python — we put None first).
    static func pythonLess(_ a: String?, _ b: String?) -> Bool {
        switch (a, b) {
        case (nil, nil): return false
        case (nil, _): return true
        case (_, nil): return false
        case let (x?, y?): return x.unicodeScalars.lexicographicallyPrecedes(y.unicodeScalars)
        }
    }

    /// Values are decimal integers: compare by length, then digits.
    static func decimalLess(_ a: String?, _ b: String?) -> Bool {
        guard let a, let b else { return pythonLess(a, b) }
        return a.count != b.count ? a.count < b.count : a < b
    }
}
