// Where a row's source object sits in a block's responses, spelt out only for an error message.

/// The JSON path prefix of a row's source (`transactions[3].`, `receipts[1].logs[0].`). Mappers
/// make one per row; keeping the indices and building the text only when an error names the
/// field saves a string interpolation per row (a few percent of the export's CPU).
enum RowLocation: Sendable {
    case text(String)
    case transaction(Int)
    case receipt(Int)
    case log(receipt: Int, log: Int)

    /// The path prefix, ending in `.` unless empty.
    var prefix: String {
        switch self {
        case .text(let text): text
        case .transaction(let index): "transactions[\(index)]."
        case .receipt(let index): "receipts[\(index)]."
        case .log(let receipt, let log): "receipts[\(receipt)].logs[\(log)]."
        }
    }
}
