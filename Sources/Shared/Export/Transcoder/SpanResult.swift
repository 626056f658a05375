// What BlockSpans and ReceiptSpans share: read once into spans while the batch is read.

/// A node result read into `JSONSpan`s over its bytes. A value the strict span reading gives up
/// on (escapes, non-ASCII, a missing member) is still skipped and validated, so the batch stays
/// readable; it is kept with `parsed == nil`, and the transcoder leaves that window to the
/// decoding path.
protocol SpanResult: FastJSONDecodable {
    associatedtype Parsed: Sendable
    var bytes: SpanBytes { get }
    var parsed: Parsed? { get }
    init(bytes: SpanBytes, parsed: Parsed?)
    /// Reads the value, offsets relative to its first byte.
    static func parse(_ reader: inout FastJSONReader) throws(FastJSONReader.Unsupported) -> Parsed
}

extension SpanResult {
    static func read(from reader: inout FastJSONReader) throws(FastJSONReader.Unsupported) -> Self {
        let start = reader.offset
        do throws(FastJSONReader.Unsupported) {
            let (parsed, bytes) = try reader.readRebased(parse)
            return Self(bytes: bytes, parsed: parsed)
        } catch {
            try reader.skipValue(from: start)
            return Self(bytes: .empty, parsed: nil)
        }
    }

    /// Only the fast read makes these: a batch it cannot read at all fails as malformed, and the
    /// exporter then leaves the rest of the range to the decoding path.
    init(from decoder: any Decoder) throws {
        throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                debugDescription: "\(Self.self) is only read by the fast JSON reader"))
    }
}
