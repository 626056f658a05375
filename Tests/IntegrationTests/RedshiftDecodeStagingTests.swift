// The decode stage's Redshift staging against the local S3 server (SeaweedFS): what a Redshift
// COPY would read. Redshift itself is not available here; its statements are checked as text
// (SharedTests RedshiftDecodeSQLTests).

import Foundation
import NIOCore
import Shared
import Testing

@Suite("Decoded rows staged for Redshift on S3", .enabled(if: S3TestServer.isConfigured, S3TestServer.skipReason))
struct RedshiftDecodeStagingTests {
    @Test("stage(_:key:) puts the gzipped JSON lines under the attempt's key and a COPY manifest listing exactly that object with its length; a second attempt's key leaves the first's object as it was; a non-S3 store is refused")
    func stagesObjectAndManifest() async throws {
        let definition = try DecodedTableDefinition(file: "d/T.json", data: Data(#"{"parser": {"type": "log", "contract_address": null, "abi": {"anonymous": false, "inputs": [{"indexed": false, "name": "x", "type": "uint256"}], "name": "E", "type": "event"}, "field_mapping": {}}, "table": {"dataset_name": "d", "table_name": "T", "table_description": "", "schema": [{"name": "x", "type": "STRING"}]}}"#.utf8))
        var rows = DecodedCopyRows(format: .jsonLines(definition.columns.map { $0.name.lowercased() }))
        for block in 0..<500 {
            rows.field("2024-01-01 00:00:00")
            rows.field(Int64(block))
            rows.field("0x\(block)")
            rows.field(Int64(0))
            rows.field("0xabc")
            rows.field(String(repeating: "9", count: block % 80) + "\"\\\n")
            rows.endRow()
        }
        let role = "arn:aws:iam::123456789012:role/copy"
        try await S3TestServer.withClient { client in
            try await S3TestServer.withBucket(client) { bucket in
                let store = S3StagingStore(client: client, bucket: bucket, prefix: "eth")
                let target = RedshiftDecodeTarget(store: store, iamRole: role, region: nil, prefix: "eth")
                let key = target.key(definition, first: 0, last: 499, attempt: "j7-a3")
                #expect(key == "eth/_decoded/d.t/0000000000-0000000499/j7-a3.json.gz")
                let manifestURL = try await target.stage(rows.buffer, key: key)
                #expect(manifestURL == "s3://\(bucket)/\(key).copy-manifest.json")

                let object = try await store.readAll(key: key)
                var unzipped: [UInt8] = []
                let stream = try GunzipStream()
                try await stream.feed(object, key: key) { unzipped += Array($0.readableBytesView) }
                #expect(unzipped == Array(rows.buffer.readableBytesView))
                let lines = String(decoding: unzipped, as: UTF8.self).split(separator: "\n")
                #expect(lines.count == 500)
                let last = try #require(try JSONSerialization.jsonObject(with: Data(lines[499].utf8)) as? [String: String])
                #expect(last["block_number"] == "499" && last["x"] == String(repeating: "9", count: 499 % 80) + "\"\\\n")

                let manifest = try JSONDecoder().decode(RedshiftCopyManifest.self, from: Data(try await store.readAll(key: "\(key).copy-manifest.json").readableBytesView))
                #expect(manifest.entries.count == 1 && manifest.entries[0].url == "s3://\(bucket)/\(key)" && manifest.entries[0].mandatory)
                #expect(manifest.entries[0].meta.contentLength == object.readableBytes)
                #expect(try RedshiftDecodeSQL.copy(definition, manifest: manifestURL, iamRole: role, region: nil).contains("FROM '\(manifestURL)'"))

                // Another attempt of the same range writes keys of its own.
                var other = DecodedCopyRows(format: .jsonLines(definition.columns.map { $0.name.lowercased() }))
                for _ in definition.columns { other.field(nil as String?) }
                other.endRow()
                let otherKey = target.key(definition, first: 0, last: 499, attempt: "j7-a4")
                _ = try await target.stage(other.buffer, key: otherKey)
                #expect(try await store.readAll(key: key) == object)
                #expect(try await store.list(prefix: "eth/_decoded/d.t/").count == 4)
            }
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("bf-decoded-file-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let fileTarget = RedshiftDecodeTarget(store: FileStagingStore(root: scratch.path), iamRole: role, region: nil, prefix: "")
        await #expect(throws: LoadError.self) { _ = try await fileTarget.stage(rows.buffer, key: "k.json.gz") }
    }
}
