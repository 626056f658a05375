// Logging set-up shared by the executables.

import Logging

/// The process's log output: logfmt or JSON lines on standard error at the configured level.
public enum BlockFleetLogging {
    /// Parses `trace|debug|info|notice|warning|error|critical`, naming `setting` when wrong.
    public static func level(_ text: String?, setting: String = "BLOCKFLEET_LOG_LEVEL") throws(ConfigurationError) -> Logger.Level {
        guard let text else { return .info }
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            throw ConfigurationError(.invalidValue, setting: setting, "'\(text)' is not one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return level
    }

    /// Bootstraps swift-log once per process and returns a logger with the given label.
    public static func bootstrap(label: String, level: Logger.Level, format: LogFormat = .logfmt) -> Logger {
        LoggingSystem.bootstrap { label in
            StructuredLogHandler(label: label, level: level, format: format)
        }
        var logger = Logger(label: label)
        logger.logLevel = level
        return logger
    }
}
