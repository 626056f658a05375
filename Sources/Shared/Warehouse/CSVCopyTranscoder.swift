// Turns ethereum-etl CSV into Postgres COPY text, chunk by chunk, checking it on the way.

import NIOCore

/// Reads CSV as ethereum-etl writes it (RFC 4180 quoting, `\r\n` or `\n` line ends, a header
/// line) in arbitrary chunks and writes COPY text format: tab-separated, `\N` for empty fields
/// (ethereum-etl writes None as empty), backslash escapes. The header must be the expected
/// columns and every record must have one field per column; anything else is `malformedCSV`,
/// naming the line and column.
public struct CSVCopyTranscoder {
    public let columns: [String]
    /// Data records written so far (the header excluded).
    public private(set) var rows = 0

    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted, afterCR }
    private var state = State.fieldStart
    private var field: [UInt8] = []
    private var fieldWasQuoted = false
    private var record: [[UInt8]?] = []
    private var line = 1
    private var headerDone = false
    private var recordHasContent = false

    public init(columns: [String]) {
        self.columns = columns
        record.reserveCapacity(columns.count)
    }

    /// Transcodes one chunk, appending complete COPY rows to `output`.
    public mutating func feed(_ input: ByteBuffer, into output: inout ByteBuffer) throws(LoadError) {
        let bytes = input.readableBytesView
        for byte in bytes {
            try step(byte, &output)
        }
    }

    /// Ends the input: a last record without a line end is completed; an open quote is an error.
    public mutating func finish(into output: inout ByteBuffer) throws(LoadError) {
        switch state {
        case .quoted:
            throw LoadError(.malformedCSV, "line \(line): the file ends inside a quoted field")
        case .fieldStart where !recordHasContent && field.isEmpty && record.isEmpty:
            break
        default:
            try endRecord(&output)
        }
    }

    private mutating func step(_ byte: UInt8, _ output: inout ByteBuffer) throws(LoadError) {
        switch state {
        case .fieldStart:
            switch byte {
            case UInt8(ascii: "\""): state = .quoted; fieldWasQuoted = true; recordHasContent = true
            case UInt8(ascii: ","): endField(); recordHasContent = true
            case UInt8(ascii: "\r"): state = .afterCR
            case UInt8(ascii: "\n"): try endLine(&output)
            default: field.append(byte); state = .unquoted; recordHasContent = true
            }
        case .unquoted:
            switch byte {
            case UInt8(ascii: ","): endField(); state = .fieldStart
            case UInt8(ascii: "\r"): state = .afterCR
            case UInt8(ascii: "\n"): try endLine(&output)
            case UInt8(ascii: "\""):
                throw LoadError(.malformedCSV, "line \(line), column \(columnName(record.count)): a quote inside an unquoted field")
            default: field.append(byte)
            }
        case .quoted:
            if byte == UInt8(ascii: "\"") {
                state = .quoteInQuoted
            } else {
                if byte == UInt8(ascii: "\n") { line += 1 }
                field.append(byte)
            }
        case .quoteInQuoted:
            switch byte {
            case UInt8(ascii: "\""): field.append(byte); state = .quoted
            case UInt8(ascii: ","): endField(); state = .fieldStart
            case UInt8(ascii: "\r"): state = .afterCR
            case UInt8(ascii: "\n"): try endLine(&output)
            default:
                throw LoadError(.malformedCSV, "line \(line), column \(columnName(record.count)): text after a closing quote")
            }
        case .afterCR:
            guard byte == UInt8(ascii: "\n") else {
                throw LoadError(.malformedCSV, "line \(line): a carriage return not followed by a line feed")
            }
            try endLine(&output)
        }
    }

    private mutating func endField() {
        record.append(field.isEmpty && !fieldWasQuoted ? nil : field)
        field.removeAll(keepingCapacity: true)
        fieldWasQuoted = false
    }

    private mutating func endLine(_ output: inout ByteBuffer) throws(LoadError) {
        try endRecord(&output)
        line += 1
        state = .fieldStart
    }

    private mutating func endRecord(_ output: inout ByteBuffer) throws(LoadError) {
        endField()
        defer {
            record.removeAll(keepingCapacity: true)
            recordHasContent = false
        }
        if !headerDone {
            let header = record.map { String(decoding: $0 ?? [], as: UTF8.self) }
            guard header == columns else {
                throw LoadError(.malformedCSV, "line \(line): the header is \(header.joined(separator: ",")), expected \(columns.joined(separator: ","))")
            }
            headerDone = true
            return
        }
        guard record.count == columns.count else {
            throw LoadError(.malformedCSV, "line \(line): \(record.count) fields, expected \(columns.count) (\(columns.joined(separator: ",")))")
        }
        for (index, value) in record.enumerated() {
            if index > 0 { output.writeInteger(UInt8(ascii: "\t")) }
            guard let value else {
                output.writeStaticString("\\N")
                continue
            }
            for byte in value {
                switch byte {
                case UInt8(ascii: "\\"): output.writeStaticString("\\\\")
                case UInt8(ascii: "\t"): output.writeStaticString("\\t")
                case UInt8(ascii: "\n"): output.writeStaticString("\\n")
                case UInt8(ascii: "\r"): output.writeStaticString("\\r")
                case 0:
                    throw LoadError(.malformedCSV, "line \(line), column \(columns[index]): a NUL byte, which Postgres text cannot hold")
                default: output.writeInteger(byte)
                }
            }
        }
        output.writeInteger(UInt8(ascii: "\n"))
        rows += 1
    }

    private func columnName(_ index: Int) -> String {
        index < columns.count ? columns[index] : "#\(index + 1)"
    }
}
