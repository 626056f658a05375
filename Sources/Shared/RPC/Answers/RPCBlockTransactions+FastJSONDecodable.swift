// Fast JSON reading of a block's transactions, hashes or full objects, as JSONDecoder reads them.

extension RPCBlockTransactions: FastJSONDecodable {
    /// The first element decides the form, like the `Decodable` conformance (which tries hashes
    /// first): an empty list is `.hashes([])`, and a list mixing both forms gives up.
    static func read(from reader: inout FastJSONReader) throws(FastJSONReader.Unsupported) -> RPCBlockTransactions {
        guard try reader.enterArray() else { return .hashes([]) }
        if try reader.peek() == UInt8(ascii: "\"") {
            var hashes: [String] = []
            repeat {
                hashes.append(try reader.string())
            } while try reader.nextElement()
            return .hashes(hashes)
        }
        var transactions: [RPCTransaction] = []
        repeat {
            transactions.append(try RPCTransaction.read(from: &reader))
        } while try reader.nextElement()
        return .full(transactions)
    }
}
