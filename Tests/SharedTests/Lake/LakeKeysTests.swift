// The lake's partition dates and keys.

import Foundation
import Testing
@testable import Shared

@Suite("lake keys and block dates")
struct LakeKeysTests {
    @Test("a block's UTC date agrees with Foundation's calendar, before 1970, on leap days and at midnight")
    func blockDates() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let samples: [Int64] = [0, -1, -86_400, -86_401, 86_399, 86_400, 951_782_400, 951_868_799, 1_710_374_399, 1_710_374_400,
                                4_102_444_800, 253_402_300_799] + (0..<500).map { Int64($0) * 7_919_993 - 1_000_000_000 }
        for timestamp in samples {
            let parts = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: TimeInterval(timestamp)))
            let expected = String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
            #expect(BlockDate(timestamp: timestamp).description == expected, "\(timestamp)")
        }
        #expect(BlockDate(timestamp: 1_710_374_399) < BlockDate(timestamp: 1_710_374_400))
    }

    @Test("files are Hive-partitioned by entity and block_date and named by their blocks; manifests by range")
    func keys() {
        let keys = LakeKeys(prefix: "lake/mainnet/")
        #expect(keys.file(entity: .tokenTransfers, date: "2024-03-13", first: 17_000_000, last: 17_000_999)
                == "lake/mainnet/token_transfers/block_date=2024-03-13/0017000000-0017000999.parquet")
        #expect(keys.manifest(first: 0, last: 99) == "lake/mainnet/_manifests/0000000000-0000000099.json")
        #expect(LakeKeys(prefix: "").file(entity: .blocks, date: "1970-01-01", first: 5, last: 5) == "blocks/block_date=1970-01-01/0000000005-0000000005.parquet")
    }

    @Test("BLOCKFLEET_LAKE_URL is a folder or an S3 prefix; anything else is refused naming the setting")
    func configuration() throws {
        #expect(try ExportJobConfiguration(environment: Environment([:])).lake == nil)
        #expect(try ExportJobConfiguration(environment: Environment(["BLOCKFLEET_LAKE_URL": "file:///data/lake"])).lake == .file(root: "/data/lake"))
        #expect(try ExportJobConfiguration(environment: Environment(["BLOCKFLEET_LAKE_URL": "s3://my-lake/eth/"])).lake == .s3(bucket: "my-lake", prefix: "eth"))
        let error = #expect(throws: ConfigurationError.self) {
            try ExportJobConfiguration(environment: Environment(["BLOCKFLEET_LAKE_URL": "ftp://lake"]))
        }
        #expect(error?.description.contains("BLOCKFLEET_LAKE_URL") == true, "\(String(describing: error))")
    }
}
