// Export output gzipped on the way to disk comes back byte for byte, however it is chunked.

import Crypto
import Foundation
import NIOCore
import Shared
import Testing

@Suite("gzip sink and stream")
struct GzipRoundTripTests {
    /// Compressible but not trivial: CSV-like lines with pseudo-random hex.
    static func sample(_ lines: Int, seed: UInt64 = 7) -> [UInt8] {
        var state = seed
        var text = ""
        for index in 0..<lines {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            text += "\(index),0x\(String(state, radix: 16)),\(state % 1000),\"a,b\"\r\n"
        }
        return Array(text.utf8)
    }

    func gzip(_ bytes: [UInt8], chunk: Int, level: Int32 = 1) throws -> (file: URL, bytes: Int, sha256: String) {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bf-gz-\(UUID().uuidString).gz")
        FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        let sink = try GzipFileSink(handle, level: level)
        var offset = 0
        while offset < bytes.count {
            try sink.write(Array(bytes[offset..<min(offset + chunk, bytes.count)]))
            offset += chunk
        }
        let (size, sha) = try sink.finish()
        return (url, size, sha)
    }

    func gunzip(_ data: Data, chunk: Int) async throws -> [UInt8] {
        let stream = try GunzipStream(chunkSize: 4096)
        var result: [UInt8] = []
        var offset = 0
        while offset < data.count {
            try await stream.feed(ByteBuffer(bytes: data[offset..<min(offset + chunk, data.count)]), key: "k") { result += Array($0.readableBytesView) }
            offset += chunk
        }
        return result
    }

    @Test("a higher level (BLOCKFLEET_STAGING_GZIP_LEVEL) makes a smaller file of the same bytes")
    func levels() async throws {
        let original = GzipRoundTripTests.sample(20_000)
        let fast = try gzip(original, chunk: 65_536, level: 1), small = try gzip(original, chunk: 65_536, level: 9)
        defer { for file in [fast.file, small.file] { try? FileManager.default.removeItem(at: file) } }
        #expect(small.bytes < fast.bytes)
        #expect(try await gunzip(Data(contentsOf: small.file), chunk: 4096) == original)
        #expect(try await gunzip(Data(contentsOf: fast.file), chunk: 4096) == original)
    }

    @Test("round trip with the reported size and SHA-256", arguments: [(1, 7), (4096, 65_536), (100_000, 3)])
    func roundTrip(writeChunk: Int, readChunk: Int) async throws {
        let original = GzipRoundTripTests.sample(20_000)
        let (file, size, sha) = try gzip(original, chunk: writeChunk)
        defer { try? FileManager.default.removeItem(at: file) }
        let data = try Data(contentsOf: file)
        #expect(data.count == size)
        #expect(SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() == sha)
        #expect(data.count < original.count / 2, "CSV text compresses")
        #expect(data.prefix(2) == Data([0x1f, 0x8b]), "a gzip header, so zcat and Redshift's GZIP read it")
        #expect(try await gunzip(data, chunk: readChunk) == original)
    }

    @Test("an empty export is a valid empty gzip stream")
    func empty() async throws {
        let (file, _, _) = try gzip([], chunk: 1)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(try await gunzip(try Data(contentsOf: file), chunk: 10).isEmpty)
    }

    @Test("corrupt input is a compression error naming the key")
    func corrupt() async throws {
        let (file, _, _) = try gzip(GzipRoundTripTests.sample(2_000), chunk: 512)
        defer { try? FileManager.default.removeItem(at: file) }
        var data = try Data(contentsOf: file)
        for index in stride(from: 20, to: min(data.count, 400), by: 3) { data[index] ^= 0x5a }
        await #expect {
            _ = try await gunzip(data, chunk: 1000)
        } throws: { error in
            (error as? StagingError)?.code == .compression && (error as? StagingError)?.key == "k"
        }
    }
}
