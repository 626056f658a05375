// How much a process logs and in what shape; every field has a documented default.

import Logging

/// Settings of the process log. Environment variables set them; `--log-level` is an overlay on
/// `BLOCKFLEET_LOG_LEVEL`.
public struct LoggingConfiguration: Sendable, Equatable {
    /// `trace` … `critical`. Default `info` (`BLOCKFLEET_LOG_LEVEL`, `--log-level`).
    public var level: Logger.Level
    /// `logfmt` or `json` (JSON lines). Default `logfmt` (`BLOCKFLEET_LOG_FORMAT`).
    public var format: LogFormat

    public init(level: Logger.Level = .info, format: LogFormat = .logfmt) {
        self.level = level
        self.format = format
    }

    public init(environment: Environment) throws(ConfigurationError) {
        self.init(
            level: try BlockFleetLogging.level(environment.string("BLOCKFLEET_LOG_LEVEL"), setting: environment.setting("BLOCKFLEET_LOG_LEVEL")),
            format: try LogFormat.parse(environment.string("BLOCKFLEET_LOG_FORMAT"))
        )
    }

    /// Bootstraps swift-log with these settings and returns the process logger.
    public func bootstrap(label: String) -> Logger {
        BlockFleetLogging.bootstrap(label: label, level: level, format: format)
    }
}
