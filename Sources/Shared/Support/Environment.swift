// Typed reads of environment variables that name the variable when a value is bad.

import Foundation

/// A snapshot of the process environment (or a test's dictionary) with typed, validated reads.
///
/// Command-line flags are an overlay on it (`overlaid`): a flag given stands for its variable, so
/// each setting is parsed and validated once, by its configuration struct, and a bad value is
/// reported under the name the user typed (`--lease-seconds`, or `BLOCKFLEET_LEASE_SECONDS`).
public struct Environment: Sendable {
    public let values: [String: String]
    /// Variables whose value came from a flag, and the flag's name.
    public let flags: [String: String]

    public init(_ values: [String: String] = ProcessInfo.processInfo.environment) {
        self.values = values
        self.flags = [:]
    }

    private init(values: [String: String], flags: [String: String]) {
        self.values = values
        self.flags = flags
    }

    /// The environment with each given flag's value over its variable: `[variable: (flag, value)]`;
    /// nil values (flags not given) leave the variable as it is.
    public func overlaid(_ overrides: [String: (flag: String, value: String?)]) -> Environment {
        var values = self.values, flags = self.flags
        for (variable, override) in overrides {
            guard let value = override.value else { continue }
            values[variable] = value
            flags[variable] = override.flag
        }
        return Environment(values: values, flags: flags)
    }

    /// The name to report a bad value of `variable` under: its flag when one set it.
    public func setting(_ variable: String) -> String { flags[variable] ?? variable }

    /// The value, or nil when unset or empty (an empty variable means "use the default" in Kubernetes manifests).
    public func string(_ name: String) -> String? {
        guard let value = values[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    public func int(_ name: String, range: ClosedRange<Int>? = nil) throws(ConfigurationError) -> Int? {
        guard let text = string(name) else { return nil }
        guard let value = Int(text) else {
            throw ConfigurationError(.invalidValue, setting: setting(name), "'\(text)' is not an integer")
        }
        if let range, !range.contains(value) {
            throw ConfigurationError(.invalidValue, setting: setting(name), "\(value) is outside \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    /// `true`/`1`/`yes` or `false`/`0`/`no` (any case); anything else names the variable.
    public func bool(_ name: String) throws(ConfigurationError) -> Bool? {
        guard let text = string(name) else { return nil }
        switch text.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw ConfigurationError(.invalidValue, setting: setting(name), "'\(text)' is not true or false")
        }
    }

    public func seconds(_ name: String, range: ClosedRange<Double>? = nil) throws(ConfigurationError) -> Duration? {
        guard let text = string(name) else { return nil }
        return try Environment.parseSeconds(text, setting: setting(name), range: range)
    }

    /// Parses a count of seconds such as `30` or `0.5`, naming `setting` when it is not one.
    public static func parseSeconds(_ text: String, setting: String, range: ClosedRange<Double>? = nil) throws(ConfigurationError) -> Duration {
        guard let value = Double(text), value.isFinite else {
            throw ConfigurationError(.invalidValue, setting: setting, "'\(text)' is not a number of seconds")
        }
        if let range, !range.contains(value) {
            throw ConfigurationError(.invalidValue, setting: setting, "\(text) is outside \(range.lowerBound)...\(range.upperBound) seconds")
        }
        return .milliseconds(Int64((value * 1000).rounded()))
    }
}

extension Duration {
    /// Seconds as a Double, for SQL intervals and log lines.
    public var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }

    /// Whole milliseconds (truncated), for the step timings jobs report.
    public var milliseconds: Int {
        let parts = components
        return Int(parts.seconds * 1_000 + parts.attoseconds / 1_000_000_000_000_000)
    }
}
