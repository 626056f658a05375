// Parsing BLOCKFLEET_STAGING_URL and naming staged objects.

import Shared
import Testing

@Suite("Staging locations and keys")
struct StagingLocationTests {
    @Test("file and s3 URLs parse; prefixes lose their slashes")
    func parses() throws {
        #expect(try StagingLocation(parsing: "file:///var/lib/blockfleet/", setting: "X") == .file(root: "/var/lib/blockfleet"))
        #expect(try StagingLocation(parsing: "s3://my-bucket/eth/mainnet/", setting: "X") == .s3(bucket: "my-bucket", prefix: "eth/mainnet"))
        #expect(try StagingLocation(parsing: "s3://my-bucket", setting: "X") == .s3(bucket: "my-bucket", prefix: ""))
        #expect(StagingLocation.s3(bucket: "b-1", prefix: "p").description == "s3://b-1/p")
        #expect(StagingLocation.s3(bucket: "b-1", prefix: "p").keyPrefix == "p")
    }

    @Test("bad URLs are refused with the setting named", arguments: [
        "ftp://host/x", "s3:///prefix", "s3://Upper_Case/x", "s3://ab/x", "file://host/path", "file:///", "not a url",
    ])
    func refuses(text: String) {
        #expect {
            try StagingLocation(parsing: text, setting: "BLOCKFLEET_STAGING_URL")
        } throws: { error in
            (error as? ConfigurationError)?.setting == "BLOCKFLEET_STAGING_URL"
        }
    }

    @Test("keys are deterministic per entity and range, zero-padded to sort by block")
    func keys() {
        let keys = StagingKeys(prefix: "/eth/")
        #expect(keys.file(entity: .tokenTransfers, first: 1_000, last: 1_999, format: .csv) == "eth/token_transfers/0000001000-0000001999.csv.gz")
        #expect(keys.file(entity: .logs, first: 0, last: 99, format: .json) == "eth/logs/0000000000-0000000099.json.gz")
        #expect(keys.manifest(first: 12_345_678, last: 12_345_678) == "eth/_manifests/0012345678-0012345678.json")
        #expect(StagingKeys(prefix: "").manifest(first: 0, last: 1) == "_manifests/0000000000-0000000001.json")
    }
}
