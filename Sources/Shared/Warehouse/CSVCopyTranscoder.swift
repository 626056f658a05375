// Turns ethereum-etl CSV into Postgres COPY text, chunk by chunk, checking it on the way.

import NIOCore

/// Reads CSV as ethereum-etl writes it (RFC 4180 quoting, `\r\n` or `\n` line ends, a header
/// line) in arbitrary chunks and writes COPY text format: tab-separated, `\N` for empty fields
/// (ethereum-etl writes None as empty), backslash escapes. The header must be the expected
/// columns and every record must have one field per column; anything else is `malformedCSV`,
/// naming the line and column.
///
/// Fields are copied straight from the input into the output as they are read, through raw
/// pointers: the loader runs this over every staged byte, and a version that gathered each field
/// into an array and wrote the output a byte at a time was the largest cost of a worker's CPU in
/// `Benchmarks/end-to-end`. A record may therefore reach `output` in parts; a malformed record
/// throws, and the caller abandons the COPY (the rows never commit).
public struct CSVCopyTranscoder {
    public let columns: [String]
    /// Data records written so far (the header excluded).
    public private(set) var rows = 0

    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted, afterCR }
    private var state = State.fieldStart
    /// Fields completed in the current record.
    private var fieldsInRecord = 0
    private var recordHasContent = false
    private var line = 1
    private var headerDone = false
    /// The header's line end has been read; `feed` checks it next.
    private var headerEnded = false
    /// The header line as COPY text while it is read: checked against `columns` at its end.
    private var headerText = ByteBuffer()

    public init(columns: [String]) {
        self.columns = columns
    }

    /// Transcodes one chunk, appending its COPY text to `output`.
    public mutating func feed(_ input: ByteBuffer, into output: inout ByteBuffer) throws(LoadError) {
        var failure: LoadError?
        input.withUnsafeReadableBytes { bytes in
            do throws(LoadError) {
                var next = 0
                if !headerDone {
                    var header = headerText
                    headerText = ByteBuffer()
                    next = try transcode(bytes, from: 0, into: &header, untilRecordEnd: true)
                    headerText = header
                    if headerEnded { try checkHeader() }
                }
                if headerDone && next < bytes.count {
                    _ = try transcode(bytes, from: next, into: &output, untilRecordEnd: false)
                }
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
    }

    /// Ends the input: a last record without a line end is completed; an open quote is an error.
    public mutating func finish(into output: inout ByteBuffer) throws(LoadError) {
        switch state {
        case .quoted:
            throw LoadError(.malformedCSV, "line \(line): the file ends inside a quoted field")
        case .fieldStart where !recordHasContent && fieldsInRecord == 0:
            return
        default:
            break
        }
        if !headerDone {
            if state == .fieldStart { headerText.writeStaticString("\\N") }
            fieldsInRecord = 0
            recordHasContent = false
            try checkHeader()
            return
        }
        if state == .fieldStart { output.writeStaticString("\\N") }
        try checkFieldCount()
        output.writeInteger(UInt8(ascii: "\n"))
        rows += 1
        state = .fieldStart
    }

    /// The header line has ended (as COPY text in `headerText`): it must name the columns.
    private mutating func checkHeader() throws(LoadError) {
        var text = headerText.readableBytesView[...]
        if text.last == UInt8(ascii: "\n") { text = text.dropLast() }
        let header = text.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        guard header == columns else {
            throw LoadError(.malformedCSV, "line \(line - (headerEnded ? 1 : 0)): the header is \(header.joined(separator: ",")), expected \(columns.joined(separator: ","))")
        }
        headerDone = true
        headerText = ByteBuffer()
    }

    /// A data record ends: it must have one field per column.
    private mutating func checkFieldCount() throws(LoadError) {
        let fields = fieldsInRecord + 1
        fieldsInRecord = 0
        recordHasContent = false
        guard fields == columns.count else {
            throw LoadError(.malformedCSV, "line \(line): \(fields) fields, expected \(columns.count) (\(columns.joined(separator: ",")))")
        }
    }

    /// Bytes that end a field, start or end quoting, or need an escape in COPY text.
    @inline(__always)
    private static func isSpecial(_ byte: UInt8) -> Bool {
        // NUL, tab, \n, \r, '"' and ',' below 64; only the backslash above.
        byte < 64 ? (UInt64(0x0000_1004_0000_2601) >> UInt64(byte)) & 1 != 0 : byte == UInt8(ascii: "\\")
    }

    /// Transcodes `input[start...]` into `output`; with `untilRecordEnd`, stops after the first
    /// record ends (the header). Returns the index of the first byte not read.
    private mutating func transcode(
        _ input: UnsafeRawBufferPointer, from start: Int, into output: inout ByteBuffer, untilRecordEnd: Bool
    ) throws(LoadError) -> Int {
        let count = input.count
        guard start < count, let base = input.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return start }
        var failure: LoadError?
        var index = start
        // Each input byte writes at most 3 (an empty field's `,` becomes `\N` and a tab).
        output.writeWithUnsafeMutableBytes(minimumWritableBytes: 3 * (count - start) + 8) { buffer in
            let out = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
            var written = 0
            func write(_ first: UInt8, _ second: UInt8) {
                out[written] = first
                out[written + 1] = second
                written += 2
            }
            /// Ends a field at its comma: the tab before the next.
            func endField() {
                out[written] = UInt8(ascii: "\t")
                written += 1
                fieldsInRecord += 1
                state = .fieldStart
            }
            /// Writes the escape a special byte needs inside a field, or fails on NUL.
            func escape(_ byte: UInt8) -> Bool {
                switch byte {
                case UInt8(ascii: "\\"): write(UInt8(ascii: "\\"), UInt8(ascii: "\\"))
                case UInt8(ascii: "\t"): write(UInt8(ascii: "\\"), UInt8(ascii: "t"))
                case UInt8(ascii: "\n"): write(UInt8(ascii: "\\"), UInt8(ascii: "n"))
                case UInt8(ascii: "\r"): write(UInt8(ascii: "\\"), UInt8(ascii: "r"))
                case 0:
                    failure = LoadError(.malformedCSV, "line \(line), column \(columnName(fieldsInRecord)): a NUL byte, which Postgres text cannot hold")
                    return false
                default:
                    out[written] = byte
                    written += 1
                }
                return true
            }
            scan: while index < count {
                if state == .unquoted || state == .quoted {
                    while index < count {
                        let byte = base[index]
                        if Self.isSpecial(byte) { break }
                        out[written] = byte
                        written += 1
                        index += 1
                    }
                    if index == count { break }
                }
                let byte = base[index]
                index += 1
                switch state {
                case .fieldStart, .unquoted:
                    let atStart = state == .fieldStart
                    switch byte {
                    case UInt8(ascii: "\""):
                        guard atStart else {
                            failure = LoadError(.malformedCSV, "line \(line), column \(columnName(fieldsInRecord)): a quote inside an unquoted field")
                            break scan
                        }
                        state = .quoted
                        recordHasContent = true
                    case UInt8(ascii: ","):
                        if atStart { write(UInt8(ascii: "\\"), UInt8(ascii: "N")) }
                        endField()
                        recordHasContent = true
                    case UInt8(ascii: "\r"):
                        if atStart { write(UInt8(ascii: "\\"), UInt8(ascii: "N")) }
                        state = .afterCR
                    case UInt8(ascii: "\n"):
                        if atStart { write(UInt8(ascii: "\\"), UInt8(ascii: "N")) }
                        if !endLine(out, &written, &failure) || untilRecordEnd { break scan }
                    default:
                        guard escape(byte) else { break scan }
                        state = .unquoted
                        recordHasContent = true
                    }
                case .quoted:
                    if byte == UInt8(ascii: "\"") {
                        state = .quoteInQuoted
                    } else {
                        if byte == UInt8(ascii: "\n") { line += 1 }
                        guard escape(byte) else { break scan }
                    }
                case .quoteInQuoted:
                    switch byte {
                    case UInt8(ascii: "\""):
                        out[written] = byte
                        written += 1
                        state = .quoted
                    case UInt8(ascii: ","):
                        endField()
                    case UInt8(ascii: "\r"):
                        state = .afterCR
                    case UInt8(ascii: "\n"):
                        if !endLine(out, &written, &failure) || untilRecordEnd { break scan }
                    default:
                        failure = LoadError(.malformedCSV, "line \(line), column \(columnName(fieldsInRecord)): text after a closing quote")
                        break scan
                    }
                case .afterCR:
                    guard byte == UInt8(ascii: "\n") else {
                        failure = LoadError(.malformedCSV, "line \(line): a carriage return not followed by a line feed")
                        break scan
                    }
                    if !endLine(out, &written, &failure) || untilRecordEnd { break scan }
                }
            }
            return written
        }
        if let failure { throw failure }
        return index
    }

    /// Ends a record at a line feed: writes its line end and checks its field count (a data
    /// record) or marks the header read (checked by `feed`). False with `failure` set when the
    /// record is refused.
    private mutating func endLine(_ out: UnsafeMutablePointer<UInt8>, _ written: inout Int, _ failure: inout LoadError?) -> Bool {
        out[written] = UInt8(ascii: "\n")
        written += 1
        if headerDone {
            do {
                try checkFieldCount()
            } catch {
                failure = error
                return false
            }
            rows += 1
        } else {
            fieldsInRecord = 0
            recordHasContent = false
            headerEnded = true
        }
        line += 1
        state = .fieldStart
        return true
    }

    private func columnName(_ index: Int) -> String {
        index < columns.count ? columns[index] : "#\(index + 1)"
    }
}
