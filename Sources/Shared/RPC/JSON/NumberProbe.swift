// A minimal decode that finds which block a response is about, for error messages.

/// Just enough of a block, receipt, log or list of them to learn which block it is.
struct NumberProbe: Decodable {
    struct Envelope: Decodable { let result: NumberProbe? }

    let number: String?

    private enum CodingKeys: String, CodingKey { case number, blockNumber }

    init(from decoder: any Decoder) throws {
        if let container = try? decoder.container(keyedBy: CodingKeys.self) {
            number = (try? container.decodeIfPresent(String.self, forKey: .number))
                ?? (try? container.decodeIfPresent(String.self, forKey: .blockNumber)) ?? nil
        } else {
            var list = try decoder.unkeyedContainer()
            number = list.isAtEnd ? nil : (try? list.decode(NumberProbe.self))?.number
        }
    }
}
