// RPCError: a JSON-RPC error object with geth's codes and messages.

/// Clients branch on these codes (retry on -32000..-32099, shrink batches on -32003),
/// so they follow geth's rpc/errors.go exactly.
struct RPCError: Error, Sendable, Equatable {
    var code: Int
    var message: String

    static func methodNotFound(_ method: String) -> RPCError {
        RPCError(code: -32601, message: "the method \(method) does not exist/is not available")
    }

    static func invalidParams(_ message: String) -> RPCError {
        RPCError(code: -32602, message: message)
    }

    static let parseError = RPCError(code: -32700, message: "parse error")
    static let invalidRequest = RPCError(code: -32600, message: "invalid request")
    static let emptyBatch = RPCError(code: -32600, message: "empty batch")
    /// geth's errMsgBatchTooLarge, sent as an invalidRequestError.
    static let batchTooLarge = RPCError(code: -32600, message: "batch too large")
    /// geth's errcodeResponseTooLarge / errMsgResponseTooLarge.
    static let responseTooLarge = RPCError(code: -32003, message: "response too large")
    /// What geth answers for a block it does not (yet) have; used by fault injection.
    static let headerNotFound = RPCError(code: -32000, message: "header not found")

    /// `{"code":…,"message":"…"}`
    func write(to out: inout [UInt8]) {
        out.append(contentsOf: Array("{\"code\":\(code),\"message\":".utf8))
        JSONBytes.appendString(message, to: &out)
        out.append(UInt8(ascii: "}"))
    }
}
