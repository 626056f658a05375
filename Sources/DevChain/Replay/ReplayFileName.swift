// ReplayFileName: ethereum-etl's rule mapping a JSON-RPC call to its recorded fixture file name.

/// Mirrors `build_file_name` / `param_to_str` of ethereum-etl's tests/…/mock_web3_provider.py:
/// `web3_response.` + method + `_` + params joined by `_`; a dict param is its sorted
/// `key_value` pairs (keys as-is, values recursively), a list its items joined by `_`,
/// anything else Python's `str(value).lower()` (so `True` → `true`, `None` → `none`).
enum ReplayFileName {
    static let prefix = "web3_response."
    static let suffix = ".json"

    /// The file name for a call, e.g. `web3_response.eth_getBlockByNumber_0xb872_true.json`.
    static func fileName(method: String, params: [JSONValue]) -> String {
        prefix + key(method: method, params: params) + suffix
    }

    /// The file name without prefix and suffix: `eth_getBlockByNumber_0xb872_true`.
    static func key(method: String, params: [JSONValue]) -> String {
        method + "_" + params.map(paramString).joined(separator: "_")
    }

    /// The key of a fixture file name, or nil when the name is not a recorded response.
    static func key(ofFileName name: String) -> String? {
        guard name.hasPrefix(prefix), name.hasSuffix(suffix), name.count > prefix.count + suffix.count else { return nil }
        return String(name.dropFirst(prefix.count).dropLast(suffix.count))
    }

    /// The method a key records: JSON-RPC methods are `namespace_name` with no further
    /// underscore, so it is the first two `_`-separated parts.
    static func method(ofKey key: String) -> String? {
        let parts = key.split(separator: "_", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        return parts[0] + "_" + parts[1]
    }

    /// The params part of a key (after `method_`).
    static func paramsText(ofKey key: String) -> String {
        let parts = key.split(separator: "_", maxSplits: 2, omittingEmptySubsequences: false)
        return parts.count == 3 ? String(parts[2]) : ""
    }

    static func paramString(_ value: JSONValue) -> String {
        switch value {
        case .object(let members):
            let sorted = members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            return sorted.map { $0.key + "_" + paramString($0.value) }.joined(separator: "_")
        case .array(let items):
            return items.map(paramString).joined(separator: "_")
        case .string(let s): return s.lowercased()
        case .number(let n): return n.lowercased()
        case .bool(let b): return b ? "true" : "false"
        case .null: return "none"
        }
    }
}
