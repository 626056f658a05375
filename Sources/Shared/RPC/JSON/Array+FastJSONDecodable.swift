// Fast JSON reading of a list result (receipts of a block, logs, transaction hashes).

extension Array: FastJSONDecodable where Element: FastJSONDecodable {
    /// A JSON array of elements; `null` (for a required list) gives up, as `JSONDecoder` rejects it.
    static func read(from reader: inout FastJSONReader) throws(FastJSONReader.Unsupported) -> [Element] {
        var elements: [Element] = []
        if try reader.enterArray() {
            repeat {
                elements.append(try Element.read(from: &reader))
            } while try reader.nextElement()
        }
        return elements
    }
}
