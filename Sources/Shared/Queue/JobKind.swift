// What a job does; workers serve a set of kinds.

import Foundation

/// The kind of a queued job. A plain string type, so new kinds need no schema change.
public struct JobKind: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }

    /// Export a block range from the nodes to staging.
    public static let export: JobKind = "export"
    /// Copy staged files into the warehouse.
    public static let load: JobKind = "load"
    /// Run warehouse models over a loaded range.
    public static let model: JobKind = "model"
    /// Completes at once, creating the follow-up jobs its payload lists: exercises the fleet and the outbox.
    public static let noop: JobKind = "noop"
    /// Sleeps for its payload's `seconds`, cooperatively cancelled: exercises leases, crashes and shutdown.
    public static let sleep: JobKind = "sleep"

    /// Every kind this build knows.
    public static let known: [JobKind] = [.export, .load, .model, .noop, .sleep]

    /// Parses a comma-separated kind list such as `export,load`, naming an unknown kind.
    public static func parseList(_ text: String, setting: String) throws(ConfigurationError) -> [JobKind] {
        let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !names.isEmpty else {
            throw ConfigurationError(.invalidValue, setting: setting, "no job kinds given; known kinds: \(known.map(\.rawValue).joined(separator: ", "))")
        }
        var kinds: [JobKind] = []
        for name in names {
            let kind = JobKind(rawValue: name)
            guard known.contains(kind) else {
                throw ConfigurationError(.invalidValue, setting: setting, "unknown job kind '\(name)'; known kinds: \(known.map(\.rawValue).joined(separator: ", "))")
            }
            if !kinds.contains(kind) { kinds.append(kind) }
        }
        return kinds
    }
}
