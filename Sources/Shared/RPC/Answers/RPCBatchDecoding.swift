// Fast decoding of a JSON-RPC batch response body, with JSONDecoder's results and errors.

import Foundation
import NIOCore

/// Decodes a batch body `[{"jsonrpc","id","result"|"error"}, …]` several times faster than
/// `JSONDecoder`, which was most of the export's CPU time.
///
/// The fast read (`FastJSONReader` and the `FastJSONDecodable` conformances) handles well-formed
/// answers, which is nearly all of them. Whenever it gives up — bad JSON, a missing or null
/// required field, a wrong type, anything unusual — the same bytes are decoded again with
/// `JSONDecoder`, so results and errors are exactly those of the `JSONDecoder` path: rare
/// malformed answers pay twice, and error messages keep their block and field path.
enum RPCBatchDecoding {
    /// The responses in the order the node sent them (match them to calls by `id`).
    ///
    /// Takes any `Decodable` result so the transport and node pool keep their generic signatures:
    /// results that are `FastJSONDecodable` (`RPCBlock`, `RPCReceipt`, `[RPCReceipt]`, `[RPCLog]`,
    /// `String`) take the fast read, anything else goes straight to `JSONDecoder`.
    /// `blocks[i]` is the block asked about by the call with id `i`: an element that fails to
    /// decode is reported with that block and the JSON path of the field
    /// (`[3].result.transactions[0].value`), the same `ExportError` as
    /// `RPCDecoding.exportError(_:block:dropping: nil)` makes of `JSONDecoder`'s error.
    static func decode<T: Decodable & Sendable>(_ data: Data, as type: T.Type, blocks: [UInt64?] = []) throws(ExportError) -> [RPCResponse<T>] {
        let result = data.withUnsafeBytes { bytes -> Result<[RPCResponse<T>], ExportError> in
            do throws(ExportError) {
                return .success(try decode(bytes: bytes, as: type, blocks: blocks))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// `decode` over bytes in place (a response buffer); only the `JSONDecoder` fallback copies them.
    /// `owner`, the buffer `bytes` lie in, lets results that keep bytes (`BlockSpans`) share it instead of copying.
    static func decode<T: Decodable & Sendable>(bytes: UnsafeRawBufferPointer, owner: ByteBuffer? = nil, as type: T.Type, blocks: [UInt64?] = []) throws(ExportError) -> [RPCResponse<T>] {
        if let fastType = type as? any FastJSONDecodable.Type,
           let responses = erasedFastDecode(bytes, owner: owner, as: fastType) as? [RPCResponse<T>] {
            return responses
        }
        // callTracer answers nest as deep as the calls did: past what JSONDecoder takes, the tree.
        if type == [RPCGethTransactionTrace].self, JSONValue.nestingDepth(of: bytes) > maximumJSONDecoderDepth,
           let responses = try treeDecode(bytes, as: [RPCGethTransactionTrace].self, blocks: blocks) as? [RPCResponse<T>] {
            return responses
        }
        let data = Data(bytes)
        do {
            return try JSONDecoder().decode([RPCResponse<T>].self, from: data)
        } catch {
            var block: UInt64?
            if let decoding = error as? DecodingError, let index = RPCDecoding.codingPath(decoding)?.first?.intValue,
               blocks.indices.contains(index) {
                block = blocks[index]
            }
            throw RPCDecoding.exportError(error, block: block, dropping: nil)
        }
    }

    /// The deepest answer the fallback hands to `JSONDecoder`. It refuses more than 512 levels,
    /// and its `Decodable` inits recurse once per level; deeper callTracer answers (frames nest
    /// two levels per call) are read as a `JSONValue` tree instead, without recursion.
    static let maximumJSONDecoderDepth = 256

    /// The tree fallback: parses `bytes` as a `JSONValue` (at most two levels per call frame, and
    /// the envelope's) and reads the responses from it, with errors as `JSONDecoder`'s would be.
    static func treeDecode<R: JSONTreeDecodable>(_ bytes: UnsafeRawBufferPointer, as type: R.Type, blocks: [UInt64?]) throws(ExportError) -> [RPCResponse<R>] {
        do throws(JSONTreeError) {
            let tree = try JSONValue.parse(bytes, maximumDepth: 2 * RPCGethCallFrame.maximumDepth + 8)
            return try [RPCResponse<R>].decode(tree, path: "")
        } catch {
            // "[3].result…" names the batch element, and so its block.
            var block: UInt64?
            if error.path.hasPrefix("["), let close = error.path.firstIndex(of: "]"),
               let index = Int(error.path[error.path.index(after: error.path.startIndex)..<close]), blocks.indices.contains(index) {
                block = blocks[index]
            }
            let field = error.path.isEmpty ? nil : error.path
            switch error.kind {
            case .missing, .null:
                throw ExportError(.missingField, block: block, field: field, error.message)
            case .invalid, .tooDeep, .wrongType:
                throw ExportError(.malformedJSON, block: block, field: field, error.message)
            }
        }
    }

    /// `fastDecode` for a result type known only at run time (the transport's generic `T`).
    private static func erasedFastDecode<T: FastJSONDecodable>(_ bytes: UnsafeRawBufferPointer, owner: ByteBuffer?, as type: T.Type) -> Any? {
        fastDecode(bytes, owner: owner, as: type)
    }

    /// The fast read alone: nil when it gives up (then `JSONDecoder` must decide).
    static func fastDecode<T: FastJSONDecodable>(_ data: Data, as type: T.Type) -> [RPCResponse<T>]? {
        data.withUnsafeBytes { bytes in fastDecode(bytes, as: type) }
    }

    static func fastDecode<T: FastJSONDecodable>(_ bytes: UnsafeRawBufferPointer, owner: ByteBuffer? = nil, as type: T.Type) -> [RPCResponse<T>]? {
        do throws(FastJSONReader.Unsupported) {
            var reader = try FastJSONReader(bytes, owner: owner)
            let responses = try [RPCResponse<T>].read(from: &reader)
            try reader.finish()
            return responses
        } catch {
            return nil
        }
    }
}
