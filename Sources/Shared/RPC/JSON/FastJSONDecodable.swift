// The protocol of models the fast batch decode reads straight from JSON bytes.

/// A response model that can read itself from a `FastJSONReader`, skipping `JSONDecoder`.
///
/// Conformers also stay `Decodable`: `RPCBatchDecoding` falls back to `JSONDecoder` whenever
/// the fast read gives up, so both must produce the same value for any input the fast read
/// accepts. A conformer gives up on anything it does not expect (a missing or null required
/// field, a duplicate key, a wrong type) rather than guessing.
protocol FastJSONDecodable: Decodable, Sendable {
    /// Reads one value (the next JSON value of the reader) or gives up.
    static func read(from reader: inout FastJSONReader) throws(FastJSONReader.Unsupported) -> Self
}
