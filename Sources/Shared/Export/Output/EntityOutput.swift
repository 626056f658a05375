// One entity's output file while a range is exported: its writer and what it writes through.

import Foundation

/// The file of one entity in the exporter's hidden working folder. CSV and JSON lines go
/// through a `FileHandle` (and gzip when staged); Parquet is written by its own writer straight
/// to the path (its pages are compressed already, so gzip is refused).
final class EntityOutput {
    let entity: ExportEntity
    let url: URL
    let writer: any RowWriter
    private let handle: FileHandle?
    private let compressor: GzipFileSink?
    /// Flush to disk at `finish()` (`RangeExporter.flushesFiles`).
    private let flushesFiles: Bool

    init(entity: ExportEntity, in folder: URL, format: RowFormat, gzip: Bool, gzipLevel: Int32, flushesFiles: Bool) throws {
        self.entity = entity
        self.flushesFiles = flushesFiles
        let columns = EntityColumns.of(entity)
        if format == .parquet {
            guard !gzip else {
                throw ExportError(.unsupportedFormat, "Parquet files are compressed page by page (ZSTD); gzip is for csv and json")
            }
            url = folder.appendingPathComponent("\(entity.rawValue).\(format.fileExtension)")
            let file: ParquetFileOutput
            do { file = try ParquetFileOutput(path: url.path) } catch { throw ExportError(.writeFailed, "\(error)") }
            file.flushesToDisk = flushesFiles
            writer = try ParquetRowWriter(columns, output: file)
            handle = nil
            compressor = nil
        } else {
            url = folder.appendingPathComponent("\(entity.rawValue).\(format.fileExtension)\(gzip ? ".gz" : "")")
            _ = FileManager.default.createFile(atPath: url.path, contents: nil)
            let handle = try FileHandle(forWritingTo: url)
            compressor = gzip ? try GzipFileSink(handle, level: gzipLevel) : nil
            writer = try format.makeWriter(columns, to: compressor ?? FileHandleSink(handle))
            self.handle = handle
        }
    }

    /// Ends the file: the writer's last bytes, the gzip trailer, the flush to disk if asked.
    /// Returns the staged (gzip) size and SHA-256 when compressed.
    func finish() throws -> (bytes: Int, sha256: String)? {
        try writer.finish()
        let staged = try compressor?.finish()
        if flushesFiles { try handle?.synchronize() }
        return staged
    }

    /// Closes the file handle (idempotent; Parquet's output closes itself in `finish()`).
    func close() {
        try? handle?.close()
    }
}
