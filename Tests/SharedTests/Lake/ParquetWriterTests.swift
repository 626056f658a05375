// The writer's contract without any reader: streaming, errors, the file's frame.

import Foundation
import Testing
@testable import Shared

@Suite("Parquet writer: streaming row groups, clear errors, the file's frame")
struct ParquetWriterTests {
    static let schema = try! ParquetSchema([ParquetColumn("n", .int64), ParquetColumn("s", .string, nullable: true)])

    @Test("row groups go to the output as batches end; only the unwritten rows stay in memory")
    func streaming() throws {
        let output = ParquetMemoryOutput()
        let writer = try ParquetWriter(schema: Self.schema, output: output, configuration: ParquetWriterConfiguration(rowGroupRows: 100))
        #expect(output.bytes == Array("PAR1".utf8))
        var sizes: [Int] = []
        for row in 0..<250 {
            writer.columns[0].append(Int64(row))
            writer.columns[1].append(row % 2 == 0 ? "even \(row)" : nil)
            if row % 50 == 49 {
                try writer.endBatch()
                sizes.append(output.bytes.count)
            }
        }
        // The output grows exactly when a batch completes a row group of 100 rows.
        #expect(sizes[0] == 4 && sizes[1] > sizes[0] && sizes[2] == sizes[1] && sizes[3] > sizes[2] && sizes[4] == sizes[3])
        #expect(writer.rowGroupCount == 2 && writer.writtenRowCount == 200)
        #expect(writer.columns.allSatisfy { $0.rowCount == 50 }, "the buffers hold only the last batch")
        let beforeFooter = output.bytes.count
        #expect(beforeFooter == writer.writtenByteCount)
        try writer.finish()
        #expect(writer.rowGroupCount == 3 && writer.writtenRowCount == 250)
        #expect(output.isClosed && output.bytes.count == writer.writtenByteCount)
        // The frame: magic, footer, its length, magic.
        let bytes = output.bytes
        #expect(Array(bytes.suffix(4)) == Array("PAR1".utf8))
        let length = bytes[(bytes.count - 8)..<(bytes.count - 4)].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        #expect(length > 0 && length < bytes.count - beforeFooter)
    }

    @Test("the row group size counts plain-encoded bytes")
    func rowGroupBytes() throws {
        let output = ParquetMemoryOutput()
        let writer = try ParquetWriter(schema: Self.schema, output: output, configuration: ParquetWriterConfiguration(rowGroupBytes: 10_000))
        // 8 bytes of integer + 4 + 96 of text: 108 bytes a row, 93 rows to pass 10,000.
        for row in 1...200 {
            writer.columns[0].append(Int64(row))
            writer.columns[1].append(String(repeating: "x", count: 96))
            #expect(writer.bufferedByteCount == (row - 1) % 93 * 108 + 108)
            try writer.endBatch()
            #expect(writer.rowGroupCount == row / 93, "row \(row)")
        }
    }

    @Test("a value of the wrong type is refused at the end of the batch, naming the column")
    func wrongType() throws {
        let writer = try ParquetWriter(schema: Self.schema, output: ParquetMemoryOutput())
        writer.columns[0].append("not a number")
        writer.columns[1].append("fine")
        let error = try #require(throws: ParquetError.self) { try writer.endBatch() }
        #expect(error.code == .invalidValue && error.column == "n")
        #expect(error.description == "Parquet error [invalid_value] in column \"n\": got a string for a non-nullable column of type int64 (row 0 of the batch)", "\(error)")
        // The writer stays stopped: the file cannot be finished half right.
        #expect(throws: ParquetError.self) { try writer.finish() }
    }

    @Test("a null in a non-nullable column is refused")
    func nullInRequiredColumn() throws {
        let writer = try ParquetWriter(schema: Self.schema, output: ParquetMemoryOutput())
        writer.columns[0].appendNull()
        writer.columns[1].appendNull()
        let error = try #require(throws: ParquetError.self) { try writer.endBatch() }
        #expect(error.code == .invalidValue && error.column == "n" && error.message.hasPrefix("got a null for a non-nullable column of type int64"))
    }

    @Test("columns of unequal length are refused with each column's count")
    func unequalColumns() throws {
        let writer = try ParquetWriter(schema: Self.schema, output: ParquetMemoryOutput())
        writer.columns[0].append(Int64(1))
        writer.columns[0].append(Int64(2))
        writer.columns[1].append("only one")
        let error = try #require(throws: ParquetError.self) { try writer.finish() }
        #expect(error.code == .rowCountMismatch && error.message.contains("n=2, s=1"))
    }

    @Test("a timestamp given in seconds is scaled to the column's unit, and out of range is refused")
    func epochSeconds() throws {
        let schema = try ParquetSchema([ParquetColumn("t", .timestamp(.microseconds))])
        let writer = try ParquetWriter(schema: schema, output: ParquetMemoryOutput())
        writer.columns[0].append(epochSeconds: 1_700_000_000)
        #expect(writer.columns[0].statistics(maxBytes: 64).minValue == withUnsafeBytes(of: Int64(1_700_000_000_000_000).littleEndian) { Array($0) })
        writer.columns[0].append(epochSeconds: .max / 10)
        #expect(try #require(throws: ParquetError.self) { try writer.endBatch() }.code == .invalidValue)
    }

    @Test("decimal text is encoded as big-endian two's complement of the precision's width, and what does not fit is refused")
    func decimalEncoding() throws {
        #expect(ParquetDecimal.byteWidth(precision: 38) == 16 && ParquetDecimal.byteWidth(precision: 10) == 5 && ParquetDecimal.byteWidth(precision: 2) == 1)
        #expect(ParquetDecimal.encode("1.5", precision: 10, scale: 2) == [0, 0, 0, 0, 150])
        #expect(ParquetDecimal.encode("-1", precision: 10, scale: 0) == [0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
        #expect(ParquetDecimal.encode("+256", precision: 4, scale: 0) == [0x01, 0x00])
        #expect(ParquetDecimal.encode(String(repeating: "9", count: 38), precision: 38, scale: 0) == [0x4B, 0x3B, 0x4C, 0xA8, 0x5A, 0x86, 0xC4, 0x7A, 0x09, 0x8A, 0x22, 0x3F, 0xFF, 0xFF, 0xFF, 0xFF])
        for bad in ["1.234", String(repeating: "9", count: 39), "", "-", "1e5", "0x10", "1.2.3", " 1"] {
            #expect(ParquetDecimal.encode(bad, precision: 38, scale: 2) == nil, "\(bad)")
        }
        let schema = try ParquetSchema([ParquetColumn("amount", .decimal(precision: 38, scale: 0))])
        let writer = try ParquetWriter(schema: schema, output: ParquetMemoryOutput())
        writer.columns[0].append(String(repeating: "1", count: 39))
        let error = try #require(throws: ParquetError.self) { try writer.endBatch() }
        #expect(error.code == .invalidValue && error.column == "amount" && error.message.contains("not a number that fits"))
        let wide = try #require(throws: ParquetError.self) { try ParquetSchema([ParquetColumn("v", .decimal(precision: 39, scale: 0))]) }
        #expect(wide.code == .invalidSchema && wide.column == "v")
    }

    @Test("bad schemas and configurations are refused, naming what is wrong")
    func refusals() throws {
        #expect(try #require(throws: ParquetError.self) { try ParquetSchema([]) }.code == .invalidSchema)
        let repeated = try #require(throws: ParquetError.self) { try ParquetSchema([ParquetColumn("a", .int64), ParquetColumn("a", .string)]) }
        #expect(repeated.code == .invalidSchema && repeated.column == "a")
        #expect(throws: ParquetError.self) { try ParquetSchema([ParquetColumn("", .int64)]) }
        for configuration in [ParquetWriterConfiguration(rowGroupRows: 0), ParquetWriterConfiguration(pageBytes: -1), ParquetWriterConfiguration(codec: .zstd(level: 40))] {
            let error = try #require(throws: ParquetError.self) { try ParquetWriter(schema: Self.schema, output: ParquetMemoryOutput(), configuration: configuration) }
            #expect(error.code == .invalidConfiguration)
        }
    }

    @Test("a file that cannot be created is a clear output error")
    func unwritablePath() throws {
        let error = try #require(throws: ParquetError.self) { try ParquetFileOutput(path: "/nonexistent-folder/x.parquet") }
        #expect(error.code == .output && error.message.contains("/nonexistent-folder/x.parquet"))
    }

    @Test("the writer refuses work after finish")
    func afterFinish() throws {
        let writer = try ParquetWriter(schema: Self.schema, output: ParquetMemoryOutput())
        try writer.finish()
        #expect(try #require(throws: ParquetError.self) { try writer.endBatch() }.code == .finished)
    }

    @Test("a file written to memory is the same file")
    func memoryOutput() throws {
        let table = ParquetTestTable.sample(rows: 500)
        let path = try ParquetReaders.temporaryPath("file.parquet")
        defer { ParquetReaders.removeTemporary(path) }
        try table.write(to: path)
        let memory = ParquetMemoryOutput()
        let writer = try ParquetWriter(schema: ParquetSchema(table.columns), output: memory)
        for row in 0..<table.rowCount {
            for (index, buffer) in writer.columns.enumerated() {
                switch table.values[index][row] {
                case nil: buffer.appendNull()
                case .int(let value)?: buffer.append(value)
                case .text(let value)?: buffer.append(value)
                case .bytes(let value)?: buffer.append(bytes: value)
                case .bool(let value)?: buffer.append(value)
                case .decimal(let value)?: buffer.append(value)
                }
            }
            if row % 100 == 99 { try writer.endBatch() }
        }
        try writer.finish()
        #expect(memory.isClosed)
        #expect(memory.bytes == Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        #expect(writer.writtenByteCount == memory.bytes.count)
    }
}
