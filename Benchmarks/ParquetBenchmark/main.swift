// Parquet writer speed and memory: N transactions-like rows (hashes, addresses, amounts as
// decimal text, calldata, integers, a timestamp) written to a local file.
//
//   ParquetBenchmark [--rows 1000000] [--codec zstd|zstd3|snappy|none] [--row-group-mib 64]
//                    [--output /tmp/parquet-benchmark.parquet]
// Prints CPU seconds (the figure that holds on a shared machine), wall seconds, MB/s of
// plain-encoded input, the file size and the peak RSS. The rows are generated on the fly (a
// first pass without writing measures that cost, which is subtracted), so memory is the writer's.

import Foundation
import Shared

struct Options {
    var rows = 1_000_000
    var codec = ParquetCodec.default
    var codecName = "zstd"
    var rowGroupMiB = 64
    var output = "/tmp/parquet-benchmark.parquet"

    init(_ arguments: [String]) throws {
        var iterator = arguments.makeIterator()
        func value(_ flag: String) throws -> String {
            guard let value = iterator.next() else { throw BenchmarkError("\(flag) needs a value") }
            return value
        }
        func positive(_ flag: String) throws -> Int {
            let text = try value(flag)
            guard let number = Int(text), number > 0 else { throw BenchmarkError("\(flag): '\(text)' is not a positive integer") }
            return number
        }
        while let argument = iterator.next() {
            switch argument {
            case "--rows": rows = try positive(argument)
            case "--row-group-mib": rowGroupMiB = try positive(argument)
            case "--output": output = try value(argument)
            case "--codec":
                codecName = try value(argument)
                switch codecName {
                case "zstd": codec = .zstd(level: 1)
                case "zstd3": codec = .zstd(level: 3)
                case "snappy": codec = .snappy
                case "none": codec = .uncompressed
                default: throw BenchmarkError("--codec: '\(codecName)' is not zstd, zstd3, snappy or none")
                }
            case "--help", "-h":
                print("usage: ParquetBenchmark [--rows N] [--codec zstd|zstd3|snappy|none] [--row-group-mib 64] [--output PATH]")
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

/// SplitMix64: fast, seedable pseudo-random numbers.
struct SplitMix {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Writes "0x" and the hex of `count` pseudo-random bytes derived from `seed` into `out`.
func hex(seed: UInt64, count: Int, into out: inout [UInt8]) {
    let digits = Array("0123456789abcdef".utf8)
    out.removeAll(keepingCapacity: true)
    out.append(contentsOf: "0x".utf8)
    var random = SplitMix(state: seed)
    var word: UInt64 = 0
    for index in 0..<count {
        if index % 8 == 0 { word = random.next() }
        let byte = UInt8(truncatingIfNeeded: word >> (8 * UInt64(index % 8)))
        out.append(digits[Int(byte >> 4)])
        out.append(digits[Int(byte & 15)])
    }
}

/// CPU seconds (user + system) the process has used.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

let schema = try ParquetSchema([
    ParquetColumn("hash", .string), ParquetColumn("nonce", .int64), ParquetColumn("block_hash", .string),
    ParquetColumn("block_number", .int64), ParquetColumn("transaction_index", .int64),
    ParquetColumn("from_address", .string), ParquetColumn("to_address", .string, nullable: true),
    ParquetColumn("value", .string), ParquetColumn("gas", .int64), ParquetColumn("gas_price", .int64),
    ParquetColumn("input", .string), ParquetColumn("block_timestamp", .timestamp(.milliseconds)),
    ParquetColumn("max_fee_per_gas", .int64, nullable: true), ParquetColumn("transaction_type", .int64),
])

struct Run {
    var wallSeconds: Double
    var cpuSeconds: Double
    var plainBytes: Int
    var fileBytes: Int
}

/// Generates the rows (150 a block, 50,000 senders, 20,000 receivers, 2% contract creations),
/// writing them when `writer` is given.
func run(_ options: Options, writer: ParquetWriter?) throws -> Run {
    var hash: [UInt8] = [], blockHash: [UInt8] = [], from: [UInt8] = [], to: [UInt8] = [], input: [UInt8] = []
    var random = SplitMix(state: 42)
    var plainBytes = 0
    let startWall = DispatchTime.now().uptimeNanoseconds
    let startCPU = cpuSeconds()
    for row in 0..<options.rows {
        let block = UInt64(row / 150)
        let r = random.next()
        hex(seed: UInt64(row) &* 7 &+ 1, count: 32, into: &hash)
        hex(seed: block &* 13 &+ 5, count: 32, into: &blockHash)
        hex(seed: r % 50_000 &+ 100, count: 20, into: &from)
        hex(seed: (r >> 20) % 20_000 &+ 900_000, count: 20, into: &to)
        hex(seed: r, count: (r >> 40) % 3 == 0 ? 0 : Int((r >> 44) % 300), into: &input)
        let value = (r >> 8) % 4 == 0 ? "0" : String((r >> 3) % 10_000_000_000_000_000_000) + "000"
        plainBytes += hash.count + blockHash.count + from.count + to.count + input.count + value.utf8.count + 7 * 4 + 7 * 8
        guard let writer else { continue }
        let columns = writer.columns
        hash.withUnsafeBytes { columns[0].append(bytes: $0) }
        columns[1].append(Int64(r % 1_000))
        blockHash.withUnsafeBytes { columns[2].append(bytes: $0) }
        columns[3].append(Int64(block) + 18_000_000)
        columns[4].append(Int64(row % 150))
        from.withUnsafeBytes { columns[5].append(bytes: $0) }
        if r % 50 == 0 { columns[6].appendNull() } else { to.withUnsafeBytes { columns[6].append(bytes: $0) } }
        columns[7].append(value)
        columns[8].append(Int64(21_000 + (r >> 12) % 200_000))
        columns[9].append(Int64(1_000_000_000 + (r >> 16) % 50_000_000_000))
        input.withUnsafeBytes { columns[10].append(bytes: $0) }
        columns[11].append(epochSeconds: Int64(1_700_000_000 + block * 12))
        columns[12].append((r >> 50) % 3 == 0 ? nil : Int64(2_000_000_000 + (r >> 24) % 90_000_000_000))
        columns[13].append(Int64((r >> 50) % 3))
        if row % 1_000 == 999 { try writer.endBatch() }
    }
    try writer?.finish()
    return Run(
        wallSeconds: Double(DispatchTime.now().uptimeNanoseconds - startWall) / 1e9, cpuSeconds: cpuSeconds() - startCPU,
        plainBytes: plainBytes, fileBytes: writer?.writtenByteCount ?? 0
    )
}

do {
    let options = try Options(Array(CommandLine.arguments.dropFirst()))
    let generating = try run(options, writer: nil)
    let configuration = ParquetWriterConfiguration(codec: options.codec, rowGroupBytes: options.rowGroupMiB << 20)
    let writer = try ParquetWriter(schema: schema, output: ParquetFileOutput(path: options.output), configuration: configuration)
    let total = try run(options, writer: writer)
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let cpu = total.cpuSeconds - generating.cpuSeconds
    let wall = total.wallSeconds - generating.wallSeconds
    let megabytes = Double(total.plainBytes) / 1e6
    print(String(
        format: "%d rows, %@, row groups of %d MiB (%d written): writing took %.2f CPU s (%.0f MB/s of plain input, %.0f rows/s), %.2f s wall (%.0f MB/s); %.1f MB plain -> %.1f MB file; peak RSS %.1f MB",
        options.rows, options.codecName, options.rowGroupMiB, writer.rowGroupCount, cpu, megabytes / cpu, Double(options.rows) / cpu,
        wall, megabytes / wall, megabytes, Double(total.fileBytes) / 1e6, Double(usage.ru_maxrss) / 1024
    ))
} catch {
    FileHandle.standardError.write(Data("ParquetBenchmark: \(error)\n".utf8))
    exit(1)
}
