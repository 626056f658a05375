// The one error type of the export core: a code, the block and field it concerns, and a message.

/// Why an export step failed, naming the block and the field so an operator can find the bad data.
///
/// Decoding and mapping errors mean a node returned something unusable; consistency errors mean
/// the node's answers disagree with each other (often a reorg or a lagging replica), so a caller
/// retries those on another attempt (see `isRetryable`).
public struct ExportError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What kind of failure this is; stable for classification and metrics.
    public enum Code: String, Sendable, Equatable, CaseIterable {
        /// The response is not the JSON we expect (wrong type, not JSON at all).
        case malformedJSON = "malformed_json"
        /// A field the export needs is absent or null.
        case missingField = "missing_field"
        /// A quantity or hex field is not valid hex.
        case malformedHex = "malformed_hex"
        /// The node answered a JSON-RPC error instead of a result.
        case rpcError = "rpc_error"
        /// Blocks of a range are not the requested, consecutive numbers.
        case blockNumberMismatch = "block_number_mismatch"
        /// A block's parentHash is not the previous block's hash.
        case parentHashMismatch = "parent_hash_mismatch"
        /// A block's receipts do not match its transactions.
        case receiptCountMismatch = "receipt_count_mismatch"
        /// A receipt or log names another block (hash or number) than the one it came with.
        case blockHashMismatch = "block_hash_mismatch"
        /// A receipt belongs to another transaction than the one at its position.
        case transactionMismatch = "transaction_mismatch"
        /// No mapper exists yet for the entity.
        case unsupportedEntity = "unsupported_entity"
        /// A row does not have one value per column.
        case rowShape = "row_shape"
        /// Writing to the output failed.
        case writeFailed = "write_failed"
        /// The nodes offer neither trace API (geth's debug_traceBlockByNumber, parity's trace_block).
        case noTraceSource = "no_trace_source"
        /// A value does not fit its column's type in a typed format (Parquet): a null in a
        /// non-nullable column, text in an integer column.
        case valueType = "value_type"
        /// The output format cannot be written that way (Parquet through gzip).
        case unsupportedFormat = "unsupported_format"
    }

    public var code: Code
    /// The block concerned, when known.
    public var blockNumber: UInt64?
    /// The field concerned, as a path into the node's JSON (`transactions[3].value`), when known.
    public var field: String?
    public var message: String

    public init(_ code: Code, block blockNumber: UInt64? = nil, field: String? = nil, _ message: String) {
        self.code = code
        self.blockNumber = blockNumber
        self.field = field
        self.message = message
    }

    /// Whether another attempt could succeed. Everything a node sent — inconsistent, malformed or
    /// missing data — may come out right from another replica or after a restart, so the job
    /// retries and is dead-lettered with this error only when its attempts are used up. Only our
    /// own limits (an entity without a mapper, a row of the wrong shape) are permanent.
    public var isRetryable: Bool {
        switch code {
        case .blockNumberMismatch, .parentHashMismatch, .receiptCountMismatch, .blockHashMismatch,
             .transactionMismatch, .rpcError, .writeFailed, .malformedJSON, .missingField, .malformedHex:
            return true
        case .unsupportedEntity, .rowShape, .noTraceSource, .valueType, .unsupportedFormat:
            return false
        }
    }

    public var description: String {
        var text = "export error \(code.rawValue)"
        if let blockNumber { text += " at block \(blockNumber)" }
        if let field { text += ", field \(field)" }
        return text + ": " + message
    }
}

extension ExportError: ClassifiedJobError {}
