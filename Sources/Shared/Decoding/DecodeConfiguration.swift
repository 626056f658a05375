// Where the decoded tables' definitions are, read and checked at worker start.

import Foundation

/// Settings of the decode stage.
public struct DecodeConfiguration: Sendable {
    /// Folder of ethereum-etl-airflow table definitions, `<dataset>/<table>.json`
    /// (`BLOCKFLEET_PARSE_DIR`). Default none: no table is decoded. The container image sets it
    /// to its shipped `parse/` folder.
    public var directory: String?
    /// Seconds a model job waits before it is tried again when a decoded table waits on a ref()
    /// dependency's high-water mark (`BLOCKFLEET_DECODE_WAIT_SECONDS`). Default 30: a range
    /// loaded out of order waits about that long after the ranges before it are decoded.
    public var waitSeconds: Double

    public init(directory: String? = nil, waitSeconds: Double = 30) {
        self.directory = directory
        self.waitSeconds = waitSeconds
    }

    public init(environment: Environment) throws(ConfigurationError) {
        var wait = 30.0
        if let text = environment.string("BLOCKFLEET_DECODE_WAIT_SECONDS") {
            guard let value = Double(text), value >= 0.1, value <= 86_400 else {
                throw ConfigurationError(.invalidValue, setting: "BLOCKFLEET_DECODE_WAIT_SECONDS", "'\(text)' must be a number of seconds from 0.1 to 86400")
            }
            wait = value
        }
        self.init(directory: environment.string("BLOCKFLEET_PARSE_DIR"), waitSeconds: wait)
        if let directory {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ConfigurationError(.invalidValue, setting: "BLOCKFLEET_PARSE_DIR", "'\(directory)' is not a folder")
            }
        }
    }

    /// Reads every definition; nil when no folder is set. Any refused file (malformed, or a form
    /// the decode stage does not run) stops here naming each file and its reason: a worker that
    /// silently dropped a table would leave a hole nobody notices.
    public func catalog() throws(ConfigurationError) -> DecodedTableCatalog? {
        guard let directory else { return nil }
        let catalog: DecodedTableCatalog
        do {
            catalog = try DecodedTableCatalog.load(directory: URL(fileURLWithPath: directory))
        } catch {
            throw ConfigurationError(.invalidValue, setting: "BLOCKFLEET_PARSE_DIR", "\(error)")
        }
        let refused = catalog.stageRefusals
        guard refused.isEmpty else {
            throw ConfigurationError(.invalidValue, setting: "BLOCKFLEET_PARSE_DIR",
                                     "\(refused.count) definition file(s) refused in \(directory): " + refused.map(\.description).joined(separator: "; "))
        }
        return catalog
    }
}
