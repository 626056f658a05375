// Log lines for machines and people: logfmt (default) or JSON lines, on standard error.

import Foundation
import Logging
import Synchronization

/// Which text a log line is.
public enum LogFormat: String, Sendable, CaseIterable {
    /// `ts=… level=info msg="job failed" job=12 range=100-199 worker=w1 lease_token=3`
    case logfmt
    /// `{"ts":"…","level":"info","msg":"job failed","job":"12",…}`, one object per line.
    case json

    /// Parses `BLOCKFLEET_LOG_FORMAT`; nil means the default, logfmt.
    public static func parse(_ text: String?, setting: String = "BLOCKFLEET_LOG_FORMAT") throws(ConfigurationError) -> LogFormat {
        guard let text else { return .logfmt }
        guard let format = LogFormat(rawValue: text.lowercased()) else {
            throw ConfigurationError(.invalidValue, setting: setting, "'\(text)' is not one of logfmt, json")
        }
        return format
    }
}

/// A swift-log handler writing one line per message; metadata keys are sorted so lines diff well.
/// Metadata carries the job id, range, worker id and lease token where a job is involved.
public struct StructuredLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    public let label: String
    public let format: LogFormat
    let write: @Sendable (String) -> Void

    public init(label: String, level: Logger.Level, format: LogFormat, write: @escaping @Sendable (String) -> Void = StructuredLogHandler.standardError) {
        self.label = label
        self.logLevel = level
        self.format = format
        self.write = write
    }

    private static let lock = Mutex(())

    public static let standardError: @Sendable (String) -> Void = { line in
        lock.withLock { _ in FileHandle.standardError.write(Data(line.utf8)) }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        write(Self.render(
            timestamp: Date(), level: event.level, label: label, message: "\(event.message)", metadata: merged, format: format
        ))
    }

    public static func render(timestamp: Date, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata, format: LogFormat) -> String {
        let ts = iso8601(timestamp)
        var fields: [(String, String)] = [("ts", ts), ("level", level.rawValue), ("logger", label), ("msg", message)]
        for key in metadata.keys.sorted() { fields.append((key, "\(metadata[key]!)")) }
        switch format {
        case .logfmt:
            return fields.map { "\($0.0)=\(logfmtValue($0.1))" }.joined(separator: " ") + "\n"
        case .json:
            return "{" + fields.map { "\(jsonString($0.0)):\(jsonString($0.1))" }.joined(separator: ",") + "}\n"
        }
    }

    /// `2023-11-14T22:13:20.123Z`: UTC with milliseconds.
    static func iso8601(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        let millis = min(Int((date.timeIntervalSince1970 - seconds) * 1000), 999)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                      Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), millis)
    }

    static func logfmtValue(_ value: String) -> String {
        let plain = !value.isEmpty && value.unicodeScalars.allSatisfy { $0.value > 0x20 && $0 != "\"" && $0 != "=" && $0 != "\\" && $0.value != 0x7F }
        if plain { return value }
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    static func jsonString(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
