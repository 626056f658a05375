// One cell of an exported row, kept typed so CSV and JSON can each render it as ethereum-etl does.

/// A cell value. The case decides the text: a `.number` is bare in JSON but a `.text` is quoted,
/// a list is comma-joined in CSV but an array in JSON, a `.null` is empty in CSV and `null` in JSON.
public enum ExportValue: Sendable, Equatable {
    /// Absent (Python `None`).
    case null
    /// A string, such as a hash or an address.
    case text(String)
    /// A number already in its final decimal text (Python `int`, or a float's `repr`).
    case number(String)
    /// A boolean, `True`/`False` in CSV and `true`/`false` in JSON.
    case bool(Bool)
    /// A list of strings, such as topics or blob versioned hashes.
    case texts([String])
    /// A list of integers in decimal text, such as a trace's `trace_address` (bare in JSON).
    case numbers([String])
    /// A list of small objects, such as withdrawals.
    case objects([ExportObject])
}
