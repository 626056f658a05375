// Fast JSON reading of a plain string result (e.g. eth_blockNumber, eth_chainId).

extension String: FastJSONDecodable {
    /// A JSON string; anything else gives up, as `JSONDecoder` would reject it.
    static func read(from reader: inout FastJSONReader) throws(FastJSONReader.Unsupported) -> String {
        try reader.string()
    }
}
