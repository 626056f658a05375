// Staging speed to S3: MiB/s of single PUTs and of concurrent multipart uploads (and of
// downloads), against the S3 the environment names (scripts/s3's SeaweedFS by default).
//
//   StagingBenchmark [--runs N] [--put-sizes-mib 8,64] [--multipart-mib 256] [--part-mib 16]
//                    [--part-concurrency 1,4] [--keep-bucket]
// Reads AWS_ENDPOINT_URL_S3, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION.

import Foundation
import Logging
import NIOCore
import Shared

struct Options {
    var runs = 5
    var putSizesMiB = [8, 64]
    var multipartMiB = 256
    var partMiB = 16
    var partConcurrency = [1, 4]
    var keepBucket = false

    init(_ arguments: [String]) throws {
        var iterator = arguments.makeIterator()
        func value(_ flag: String) throws -> String {
            guard let value = iterator.next() else { throw BenchmarkError("\(flag) needs a value") }
            return value
        }
        func integers(_ flag: String) throws -> [Int] {
            let text = try value(flag)
            let values = text.split(separator: ",").compactMap { Int($0) }
            guard !values.isEmpty, values.allSatisfy({ $0 > 0 }) else { throw BenchmarkError("\(flag): '\(text)' is not a list of positive integers") }
            return values
        }
        while let argument = iterator.next() {
            switch argument {
            case "--runs": runs = try integers(argument)[0]
            case "--put-sizes-mib": putSizesMiB = try integers(argument)
            case "--multipart-mib": multipartMiB = try integers(argument)[0]
            case "--part-mib": partMiB = try integers(argument)[0]
            case "--part-concurrency": partConcurrency = try integers(argument)
            case "--keep-bucket": keepBucket = true
            case "--help", "-h":
                say("usage: StagingBenchmark [--runs N] [--put-sizes-mib 8,64] [--multipart-mib 256] [--part-mib 16] [--part-concurrency 1,4] [--keep-bucket]")
                exit(0)
            default: throw BenchmarkError("unknown argument \(argument)")
            }
        }
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A file of `size` pseudo-random bytes (incompressible, like Parquet).
func makeFile(_ url: URL, size: Int) throws {
    _ = FileManager.default.createFile(atPath: url.path, contents: nil)
    let handle = try FileHandle(forWritingTo: url)
    defer { try? handle.close() }
    var state = UInt64.random(in: 0...UInt64.max)
    var chunk = [UInt64](repeating: 0, count: (1 << 20) / 8)
    var written = 0
    while written < size {
        for i in chunk.indices {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            chunk[i] = z ^ (z >> 31)
        }
        let count = min(1 << 20, size - written)
        try chunk.withUnsafeBytes { try handle.write(contentsOf: Data($0.prefix(count))) }
        written += count
    }
}

func measure(_ body: () async throws -> Void) async throws -> Double {
    let start = ContinuousClock.now
    try await body()
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

func report(_ label: String, bytes: Int, seconds: [Double]) {
    let rates = seconds.map { Double(bytes) / 1_048_576 / $0 }.sorted()
    let median = rates[rates.count / 2]
    let line = "\(label.padding(toLength: 44, withPad: " ", startingAt: 0)) runs \(rates.count)  median \(String(format: "%7.1f", median)) MiB/s  min \(String(format: "%7.1f", rates.first!))  max \(String(format: "%7.1f", rates.last!))"
    say(line)
}

/// Unbuffered, so a piped run shows each figure as it comes.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

enum StagingBenchmark {
    static func run(_ options: Options) async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .warning
            return handler
        }
        let environment = ProcessInfo.processInfo.environment
        guard environment["AWS_ENDPOINT_URL_S3"] != nil || environment["AWS_ENDPOINT_URL"] != nil else {
            throw BenchmarkError("set AWS_ENDPOINT_URL_S3 (scripts/s3 start && eval \"$(scripts/s3 env)\")")
        }
        var configuration = try S3Configuration(environment: environment)
        configuration.partSize = options.partMiB << 20
        configuration.multipartThreshold = options.partMiB << 20

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("staging-benchmark-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        try await S3Client.withHTTPClient(
            configuration: configuration,
            credentialProvider: AWSStaticCredentialProvider(
                AWSCredentials(accessKeyID: environment["AWS_ACCESS_KEY_ID"] ?? "", secretAccessKey: environment["AWS_SECRET_ACCESS_KEY"] ?? "", sessionToken: environment["AWS_SESSION_TOKEN"]),
                source: "environment"
            )
        ) { client in
            let bucket = "bf-bench-\(String(UInt32.random(in: 0...UInt32.max), radix: 16))"
            try await client.createBucket(bucket)
            say("staging benchmark: \(configuration.resolvedEndpoint.absoluteString), bucket \(bucket), \(ProcessInfo.processInfo.activeProcessorCount) cores, MiB/s = 2^20 bytes per second")
            do {
                // Single PUTs, streamed from a file, payload hash signed.
                for sizeMiB in options.putSizesMiB {
                    let file = directory.appendingPathComponent("put-\(sizeMiB).bin")
                    try makeFile(file, size: sizeMiB << 20)
                    _ = try await client.putObject(bucket: bucket, key: "warmup", file: file)
                    var times: [Double] = []
                    for run in 0..<options.runs {
                        times.append(try await measure { _ = try await client.putObject(bucket: bucket, key: "put/\(sizeMiB)/\(run)", file: file) })
                    }
                    report("single PUT \(sizeMiB) MiB (hash + send)", bytes: sizeMiB << 20, seconds: times)
                }

                // Multipart, parts uploaded concurrently.
                let file = directory.appendingPathComponent("multipart.bin")
                try makeFile(file, size: options.multipartMiB << 20)
                for concurrency in options.partConcurrency {
                    var perConcurrency = configuration
                    perConcurrency.partConcurrency = concurrency
                    let multipartClient = try S3Client(configuration: perConcurrency, credentialProvider: client.credentialProvider, httpClient: client.httpClient)
                    var times: [Double] = []
                    for run in 0..<max(1, options.runs / 2 + 1) {
                        times.append(try await measure {
                            let result = try await multipartClient.upload(bucket: bucket, key: "multipart/\(concurrency)/\(run)", file: file)
                            precondition(result.partCount == (options.multipartMiB + options.partMiB - 1) / options.partMiB)
                        })
                    }
                    report("multipart \(options.multipartMiB) MiB, \(options.partMiB) MiB parts, \(concurrency) in flight", bytes: options.multipartMiB << 20, seconds: times)
                }

                // Downloads to a file, streamed.
                var times: [Double] = []
                for run in 0..<max(1, options.runs / 2 + 1) {
                    let target = directory.appendingPathComponent("download-\(run).bin")
                    times.append(try await measure { try await client.download(bucket: bucket, key: "multipart/\(options.partConcurrency[0])/0", to: target) })
                    try? FileManager.default.removeItem(at: target)
                }
                report("download \(options.multipartMiB) MiB to a file", bytes: options.multipartMiB << 20, seconds: times)
            } catch {
                if !options.keepBucket { try? await cleanUp(client, bucket) }
                throw error
            }
            if !options.keepBucket { try await cleanUp(client, bucket) }
        }
    }

    static func cleanUp(_ client: S3Client, _ bucket: String) async throws {
        for object in try await client.listAllObjects(bucket: bucket) {
            try await client.deleteObject(bucket: bucket, key: object.key)
        }
        try await client.deleteBucket(bucket)
    }
}

do {
    try await StagingBenchmark.run(Options(Array(CommandLine.arguments.dropFirst())))
} catch {
    FileHandle.standardError.write(Data("StagingBenchmark: \(error)\n".utf8))
    exit(1)
}
