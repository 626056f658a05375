// Flags every BlockFleet command shares: where the database is and how much to log.

import ArgumentParser
import Logging

/// `--database-url` and `--log-level`, each overriding its environment variable.
public struct CommonOptions: ParsableArguments, Sendable {
    @Option(name: .customLong("database-url"), help: "Queue database, postgres://user:password@host:port/db?sslmode=… (env BLOCKFLEET_DATABASE_URL).")
    public var databaseURL: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical (env BLOCKFLEET_LOG_LEVEL; default info).")
    public var logLevel: String?

    public init() {}

    /// The process environment with a command's `flags` laid over it (`Environment.overlaid`):
    /// `[variable: (flag name, value given or nil)]`.
    public func environment(overlaying flags: [String: (flag: String, value: String?)] = [:], base: Environment = Environment()) -> Environment {
        base.overlaid(flags)
    }

    /// Runs `body`, turning a bad flag's `ConfigurationError` into a usage error (exit 64 with the
    /// usage line, as ArgumentParser does for flags it checks itself); a bad environment
    /// variable stays an error of its own (exit 1).
    public static func reportingFlags<Result>(_ body: () throws -> Result) throws -> Result {
        do {
            return try body()
        } catch let error as ConfigurationError where error.setting.hasPrefix("--") {
            throw ValidationError(error.description)
        }
    }

    /// The database configuration: the flag, else the environment, else the local default.
    public func database(_ environment: Environment, applicationName: String) throws -> DatabaseConfiguration {
        try DatabaseConfiguration(
            environment: environment.overlaid(["BLOCKFLEET_DATABASE_URL": ("--database-url", databaseURL)]), applicationName: applicationName
        )
    }

    /// Bootstraps logging at the chosen level and returns the process logger.
    public func logger(_ environment: Environment, label: String) throws -> Logger {
        try LoggingConfiguration(environment: environment.overlaid(["BLOCKFLEET_LOG_LEVEL": ("--log-level", logLevel)])).bootstrap(label: label)
    }
}

