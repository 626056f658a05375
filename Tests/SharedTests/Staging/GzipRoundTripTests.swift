// Export output gzipped on the way to disk comes back byte for byte, however it is chunked.

import Crypto
import Foundation
import TestSupport
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

    /// Inflates `data` fed in chunks of `chunk` bytes, handed out in chunks of at most
    /// `outputChunk`, then finishes the stream (which must then be complete).
    func gunzip(_ data: Data, chunk: Int, outputChunk: Int = 4096) async throws -> [UInt8] {
        let stream = try GunzipStream(chunkSize: outputChunk)
        var result: [UInt8] = []
        var offset = 0
        while offset < data.count {
            try await stream.feed(ByteBuffer(bytes: data[offset..<min(offset + chunk, data.count)]), key: "k") { result += Array($0.readableBytesView) }
            offset += chunk
        }
        try await stream.finish(key: "k") { result += Array($0.readableBytesView) }
        #expect(stream.isComplete)
        return result
    }

    /// `gzip -dc` of a file: what the system's gzip (like Redshift's `GZIP`) reads from it.
    func systemGunzip(_ file: URL) async throws -> (status: Int32, bytes: [UInt8]) {
        let result = try await ChildProcess.run("/bin/sh", ["-c", "exec gzip -dc \"$0\"", file.path])
        return (result.status, Array(result.stdout))
    }

    @Test("level 1 is ISA-L's igzip, 2-9 zlib's levels; on CSV-like hex igzip's 1 is smaller than zlib's 2, and zlib's 9 than its 2")
    func levels() async throws {
        let original = GzipRoundTripTests.sample(20_000)
        let igzip = try gzip(original, chunk: 65_536, level: 1)
        let zlibFast = try gzip(original, chunk: 65_536, level: 2), zlibSmall = try gzip(original, chunk: 65_536, level: 9)
        defer { for file in [igzip.file, zlibFast.file, zlibSmall.file] { try? FileManager.default.removeItem(at: file) } }
        #expect(igzip.bytes < zlibFast.bytes)
        #expect(zlibSmall.bytes < zlibFast.bytes)
        for file in [igzip.file, zlibFast.file, zlibSmall.file] {
            #expect(try await gunzip(Data(contentsOf: file), chunk: 4096) == original)
        }
        let handle = FileHandle.nullDevice
        #expect(try GzipFileSink(handle, level: 1).engine == .isal)
        #expect(try (2...9).allSatisfy { try GzipFileSink(handle, level: $0).engine == .zlib })
    }

    @Test("both engines write one standard gzip stream that the system's gzip reads back", arguments: [Int32(1), 6])
    func systemGzipReads(level: Int32) async throws {
        let original = GzipRoundTripTests.sample(50_000, seed: UInt64(level))
        let written = try gzip(original, chunk: 10_000, level: level)
        defer { try? FileManager.default.removeItem(at: written.file) }
        let read = try await systemGunzip(written.file)
        #expect(read.status == 0)
        #expect(read.bytes == original)
    }

    @Test("round trip with the reported size and SHA-256", arguments: [Int32(1), 6], [(1, 7), (4096, 65_536), (100_000, 3)])
    func roundTrip(level: Int32, chunks: (Int, Int)) async throws {
        let (writeChunk, readChunk) = chunks
        let original = GzipRoundTripTests.sample(20_000)
        let (file, size, sha) = try gzip(original, chunk: writeChunk, level: level)
        defer { try? FileManager.default.removeItem(at: file) }
        let data = try Data(contentsOf: file)
        #expect(data.count == size)
        #expect(SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() == sha)
        #expect(data.count < original.count / 2, "CSV text compresses")
        #expect(data.prefix(2) == Data([0x1f, 0x8b]), "a gzip header, so zcat and Redshift's GZIP read it")
        #expect(try await gunzip(data, chunk: readChunk) == original)
    }

    @Test("an empty export is a valid empty gzip stream", arguments: [Int32(1), 6])
    func empty(level: Int32) async throws {
        let (file, size, _) = try gzip([], chunk: 1, level: level)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(size > 0, "a header and a trailer")
        #expect(try await gunzip(try Data(contentsOf: file), chunk: 10).isEmpty)
        let read = try await systemGunzip(file)
        #expect(read.status == 0 && read.bytes.isEmpty)
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

    @Test("a truncated stream fails at finish, trailing bytes after the trailer fail at once, a changed CRC fails")
    func incomplete() async throws {
        let original = GzipRoundTripTests.sample(5_000)
        let (file, _, _) = try gzip(original, chunk: 4096)
        defer { try? FileManager.default.removeItem(at: file) }
        let data = try Data(contentsOf: file)
        #expect(try await gunzip(data, chunk: data.count) == original)
        func refused(_ bytes: Data, _ reason: String) async {
            await #expect {
                _ = try await gunzip(bytes, chunk: bytes.count)
            } throws: { error in
                (error as? StagingError)?.code == .compression && "\(error)".contains(reason)
            }
        }
        await refused(data.dropLast(9), "ends early")
        await refused(data + Data([0x1f, 0x8b, 0]), "trailing data")
        var badCRC = data
        badCRC[badCRC.count - 6] ^= 0x01
        await refused(badCRC, "CRC-32")
    }

    @Test("an output chunk that the data fills exactly, or in whole multiples, is not taken for a stalled stream")
    func exactChunks() async throws {
        let original = GzipRoundTripTests.sample(3_000)
        let (file, _, _) = try gzip(original, chunk: 4096)
        defer { try? FileManager.default.removeItem(at: file) }
        let data = try Data(contentsOf: file)
        for chunkSize in [original.count, original.count / 2, original.count / 3 + 1, 1 << 16] {
            for inputChunk in [data.count, 1000] {
                let result = try await gunzip(data, chunk: inputChunk, outputChunk: chunkSize)
                #expect(result == original, "chunk size \(chunkSize), input chunks of \(inputChunk)")
            }
        }
    }
}
