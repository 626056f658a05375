// A small ordered object inside a cell, such as one withdrawal of a block.

/// Named values in a fixed order; ethereum-etl renders them as JSON in both CSV and JSON output,
/// so the order of the names is part of the output.
public struct ExportObject: Sendable, Equatable {
    public var names: [String]
    public var values: [ExportValue]

    public init(_ pairs: KeyValuePairs<String, ExportValue>) {
        names = pairs.map(\.key)
        values = pairs.map(\.value)
    }
}
