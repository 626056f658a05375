// The sample tables the Parquet tests write: Ethereum-like columns with every edge case.

@testable import Shared

extension ParquetTestTable {
    /// The largest uint256, as the decimal text a `string` column holds.
    static let maxUInt256 = "115792089237316195423570985008687907853269984665640564039457584007913129639935"

    /// `rows` rows of every column type: repeated and unique values, nulls, empty strings and
    /// bytes, negative and extreme integers, a 100 KB calldata (row 7, the largest input), the maximal uint256
    /// (row 3), non-ASCII text (ordered bytewise in statistics) and timestamps before 1970.
    static func sample(rows: Int) -> ParquetTestTable {
        let addresses = (0..<50).map { "0x" + hex(seed: UInt64($0) + 1_000, bytes: 20) }
        let labels = ["", "z", "é", "日本", "🦄", "a", "Z"]
        // Starts with ff so it is its chunk's max: too long a bound to write.
        let longCalldata = "0xff" + hex(seed: 99, bytes: 99_999)
        var table = ParquetTestTable(columns: [
            ParquetColumn("block_number", .int64),
            ParquetColumn("nonce", .int64, nullable: true),
            ParquetColumn("hash", .string),
            ParquetColumn("from_address", .string),
            ParquetColumn("to_address", .string, nullable: true),
            ParquetColumn("value", .string),
            ParquetColumn("input", .string),
            ParquetColumn("raw", .bytes, nullable: true),
            ParquetColumn("success", .boolean, nullable: true),
            ParquetColumn("block_timestamp", .timestamp(.milliseconds)),
            ParquetColumn("seen_at", .timestamp(.microseconds), nullable: true),
            ParquetColumn("label", .string),
        ], values: Array(repeating: [], count: 12))
        for row in 0..<rows {
            let r = Int64(row)
            let nonce: Int64? = row % 11 == 0 ? nil : row == 1 ? .min : row == 2 ? .max : (r * 7_919) % 100_000 - 50_000
            let value = row == 3 ? maxUInt256 : row % 5 == 0 ? "0" : String(UInt64(row) &* 1_000_000_007 &* 13)
            let input = row == 7 ? longCalldata : row % 3 == 0 ? "0x" : "0xa9059cbb" + hex(seed: UInt64(row), bytes: row % 64)
            let raw: [UInt8]? = row % 19 == 0 ? nil : row % 23 == 0 ? [] : [0xFF, 0x00, UInt8(row % 256), 0x80]
            let values: [ParquetTestValue?] = [
                .int(18_000_000 + r / 40),
                nonce.map { .int($0) },
                .text("0x" + hex(seed: UInt64(row), bytes: 32)),
                .text(addresses[row % 5]),
                row % 13 == 0 ? nil : row % 17 == 0 ? .text("") : .text(addresses[(row * 31) % 50]),
                .text(value),
                .text(input),
                raw.map { .bytes($0) },
                row % 29 == 0 ? nil : .bool(row % 4 != 0),
                .int((1_700_000_000 + r / 40 * 12) * 1_000),
                row % 7 == 0 ? nil : .int(row == 5 ? -1_500_000 : 1_700_000_000_000_000 + r * 1_234),
                .text(labels[row % labels.count]),
            ]
            for (index, value) in values.enumerated() { table.values[index].append(value) }
        }
        return table
    }

    /// Hex digits of `bytes` pseudo-random bytes (SplitMix64 from `seed`): hashes, addresses, calldata.
    static func hex(seed: UInt64, bytes: Int) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var state = seed &* 0x9E37_79B9_7F4A_7C15
        var out: [UInt8] = []
        out.reserveCapacity(bytes * 2)
        var word: UInt64 = 0
        for index in 0..<bytes {
            if index % 8 == 0 {
                state &+= 0x9E37_79B9_7F4A_7C15
                var z = state
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                word = z ^ (z >> 31)
            }
            let byte = UInt8(truncatingIfNeeded: word >> (8 * UInt64(index % 8)))
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
