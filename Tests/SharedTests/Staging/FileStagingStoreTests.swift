// The local staging backend: atomic puts, streamed reads, listing, and keys kept inside the root.

import Foundation
import NIOCore
import Shared
import Testing

@Suite("file staging store")
struct FileStagingStoreTests {
    @Test("put, read, size, list and delete; a second put replaces the object")
    func roundTrip() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("bf-stage-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let store = FileStagingStore(root: root)
        let source = root + "-src"
        defer { try? FileManager.default.removeItem(atPath: source) }
        let payload = Data((0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try payload.write(to: URL(fileURLWithPath: source))
        try await store.put(file: source, key: "p/logs/0000000000-0000000009.csv.gz", contentType: "application/gzip")
        try Data("v1".utf8).write(to: URL(fileURLWithPath: source))
        try await store.put(file: source, key: "p/_manifests/0000000000-0000000009.json", contentType: "application/json")

        var chunks = 0
        var read = Data()
        try await store.read(key: "p/logs/0000000000-0000000009.csv.gz") { chunk in
            chunks += 1
            read.append(contentsOf: chunk.readableBytesView)
        }
        #expect(read == payload)
        #expect(chunks > 1, "read in chunks, not whole")
        #expect(try await store.size(key: "p/logs/0000000000-0000000009.csv.gz") == payload.count)
        #expect(try await store.size(key: "p/none") == nil)
        #expect(try await store.list(prefix: "p/") == ["p/_manifests/0000000000-0000000009.json", "p/logs/0000000000-0000000009.csv.gz"])

        try Data("v2".utf8).write(to: URL(fileURLWithPath: source))
        try await store.put(file: source, key: "p/_manifests/0000000000-0000000009.json", contentType: "application/json")
        #expect(String(buffer: try await store.readAll(key: "p/_manifests/0000000000-0000000009.json")) == "v2")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/p/_manifests") == ["0000000000-0000000009.json"], "no temporary files left")

        try await store.delete(key: "p/_manifests/0000000000-0000000009.json")
        #expect(try await store.list(prefix: "p/_manifests") == [])
        await #expect(throws: StagingError.self) { try await store.read(key: "p/_manifests/0000000000-0000000009.json") { _ in } }
    }

    @Test("keys cannot leave the root", arguments: ["../etc/passwd", "/abs", "a/../../b", "a//b", ""])
    func escapes(key: String) async {
        let store = FileStagingStore(root: "/tmp/bf-never")
        await #expect(throws: StagingError.self) { try await store.read(key: key) { _ in } }
    }
}
