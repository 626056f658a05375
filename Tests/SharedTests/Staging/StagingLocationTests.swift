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

    @Test("keys name entity, range (zero-padded to sort by block) and attempt, so no two attempts share a key")
    func keys() {
        let keys = StagingKeys(prefix: "/eth/")
        let attempt = StagingKeys.Attempt(job: 12, leaseToken: 3)
        #expect(keys.file(entity: .tokenTransfers, first: 1_000, last: 1_999, attempt: attempt, format: .csv) == "eth/token_transfers/0000001000-0000001999/j12-a3.csv.gz")
        #expect(keys.file(entity: .logs, first: 0, last: 99, attempt: attempt, format: .json) == "eth/logs/0000000000-0000000099/j12-a3.json.gz")
        #expect(keys.manifest(first: 12_345_678, last: 12_345_678, attempt: attempt) == "eth/_manifests/0012345678-0012345678/j12-a3.json")
        #expect(StagingKeys(prefix: "").manifest(first: 0, last: 1, attempt: .init(job: 1, leaseToken: 1)) == "_manifests/0000000000-0000000001/j1-a1.json")
        #expect(keys.file(entity: .logs, first: 0, last: 99, attempt: .init(job: 12, leaseToken: 4), format: .csv)
                != keys.file(entity: .logs, first: 0, last: 99, attempt: attempt, format: .csv))
        #expect(StagingKeys.copyManifest(file: "eth/logs/0000000000-0000000099/j12-a3.csv.gz") == "eth/logs/0000000000-0000000099/j12-a3.csv.gz.copy-manifest.json")
    }
}
