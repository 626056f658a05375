// Decoding of JSON-RPC responses into the typed models, with errors naming block and field.

import Foundation

/// Turns response bytes into models. Every failure becomes an `ExportError` that names the block
/// (the requested one, or the one the bytes claim to be) and the JSON path of the bad field.
public enum RPCDecoding {
    /// The block of an `eth_getBlockByNumber` response envelope.
    public static func block(from data: Data, requested number: UInt64? = nil) throws(ExportError) -> RPCBlock {
        try result(RPCBlock.self, from: data, block: number)
    }

    /// The receipts of an `eth_getBlockReceipts` response envelope.
    public static func blockReceipts(from data: Data, block number: UInt64? = nil) throws(ExportError) -> [RPCReceipt] {
        try result([RPCReceipt].self, from: data, block: number, root: "receipts")
    }

    /// The receipt of an `eth_getTransactionReceipt` response envelope.
    public static func receipt(from data: Data, block number: UInt64? = nil) throws(ExportError) -> RPCReceipt {
        try result(RPCReceipt.self, from: data, block: number)
    }

    /// The logs of an `eth_getLogs` / `eth_getFilterLogs` response envelope.
    public static func logs(from data: Data, block number: UInt64? = nil) throws(ExportError) -> [RPCLog] {
        try result([RPCLog].self, from: data, block: number, root: "logs")
    }

    /// The `result` of one response envelope; a JSON-RPC error or a null result is an `.rpcError`
    /// (a node that is not synced answers null, which is worth a retry elsewhere). `root` names
    /// a list result in field paths (`receipts[1].logs[0].topics`).
    public static func result<T: Decodable & Sendable>(_ type: T.Type, from data: Data, block number: UInt64? = nil,
                                                       root: String = "") throws(ExportError) -> T {
        let response: RPCResponse<T>
        do {
            response = try JSONDecoder().decode(RPCResponse<T>.self, from: data)
        } catch {
            throw exportError(error, block: number ?? probeNumber(data, enveloped: true), dropping: "result", root: root)
        }
        if let failure = response.error {
            throw ExportError(.rpcError, block: number, "node answered error \(failure.code): \(failure.message)")
        }
        guard let result = response.result else {
            throw ExportError(.rpcError, block: number, field: "result", "result is null; the node may not be synced to this block")
        }
        return result
    }

    /// The responses of a JSON-RPC batch, in the order the node sent them (match them to requests
    /// by `id`). A malformed element fails the batch with an error naming its block and field;
    /// error objects and null results are left in the responses for the caller to retry.
    public static func batch<T: Decodable & Sendable>(_ type: T.Type, from data: Data, root: String = "") throws(ExportError) -> [RPCResponse<T>] {
        do {
            return try JSONDecoder().decode([RPCResponse<T>].self, from: data)
        } catch {
            let index = (error as? DecodingError).flatMap(codingPath)?.first?.intValue
            var block: UInt64?
            if let index, let probes = try? JSONDecoder().decode([NumberProbe.Envelope].self, from: data), index < probes.count {
                block = probes[index].result?.number.flatMap(HexText.uint64)
            }
            var failure = exportError(error, block: block, dropping: nil, root: root)
            if let index, let field = failure.field {
                // "[3].result.transactions[0].value" → "transactions[0].value" (batch element 3).
                let element = "[\(index)]"
                var rest = field.hasPrefix(root + element) ? String(field.dropFirst((root + element).count)) : field
                if rest.hasPrefix(".result") { rest = String(rest.dropFirst(".result".count)) }
                if rest.hasPrefix(".") { rest = String(rest.dropFirst()) }
                failure.field = root + rest
                failure.message += " (batch element \(index))"
            }
            throw failure
        }
    }

    /// A bare value, for callers that already cut the result out of its envelope.
    public static func value<T: Decodable>(_ type: T.Type, from data: Data, block number: UInt64? = nil,
                                           root: String = "") throws(ExportError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            throw exportError(error, block: number ?? probeNumber(data, enveloped: false), dropping: nil, root: root)
        }
    }

    /// Maps a decoding failure to an error naming the JSON path of the field.
    static func exportError(_ error: any Error, block: UInt64?, dropping prefix: String?, root: String = "") -> ExportError {
        guard let error = error as? DecodingError else {
            return ExportError(.malformedJSON, block: block, "\(error)")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath + [key], dropping: prefix, root: root)
            return ExportError(.missingField, block: block, field: field, "required field '\(field)' is missing")
        case .valueNotFound(_, let context):
            let field = path(context.codingPath, dropping: prefix, root: root)
            return ExportError(.missingField, block: block, field: field, "required field '\(field)' is null")
        case .typeMismatch(let type, let context):
            let field = path(context.codingPath, dropping: prefix, root: root)
            return ExportError(.malformedJSON, block: block, field: field.isEmpty ? nil : field,
                               "field '\(field)' is not a \(type): \(context.debugDescription)")
        case .dataCorrupted(let context):
            let field = path(context.codingPath, dropping: prefix, root: root)
            return ExportError(.malformedJSON, block: block, field: field.isEmpty ? nil : field,
                               "invalid JSON: \(context.debugDescription)")
        @unknown default:
            return ExportError(.malformedJSON, block: block, "\(error)")
        }
    }

    /// Where in the document a decoding error happened.
    static func codingPath(_ error: DecodingError) -> [any CodingKey]? {
        switch error {
        case .keyNotFound(_, let context), .valueNotFound(_, let context),
             .typeMismatch(_, let context), .dataCorrupted(let context):
            return context.codingPath
        @unknown default:
            return nil
        }
    }

    /// `transactions[3].value` from a coding path, without the envelope's `result`.
    static func path(_ keys: [any CodingKey], dropping prefix: String?, root: String = "") -> String {
        var keys = keys[...]
        if let prefix, keys.first?.stringValue == prefix { keys = keys.dropFirst() }
        var text = root
        for key in keys {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return text
    }

    /// Best effort: the block number the bytes claim (`number`, or the first `blockNumber`),
    /// so an error in an unrequested decode still names its block.
    static func probeNumber(_ data: Data, enveloped: Bool) -> UInt64? {
        let decoder = JSONDecoder()
        let probe = enveloped
            ? (try? decoder.decode(NumberProbe.Envelope.self, from: data))?.result
            : try? decoder.decode(NumberProbe.self, from: data)
        return probe?.number.flatMap(HexText.uint64)
    }
}
