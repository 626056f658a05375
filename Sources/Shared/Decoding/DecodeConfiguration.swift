// Where the decoded tables' definitions are, read and checked at worker start.

import Foundation

/// Settings of the decode stage.
public struct DecodeConfiguration: Sendable {
    /// Folder of ethereum-etl-airflow table definitions, `<dataset>/<table>.json`
    /// (`BLOCKFLEET_PARSE_DIR`). Default none: no table is decoded. The container image sets it
    /// to its shipped `parse/` folder.
    public var directory: String?

    public init(directory: String? = nil) {
        self.directory = directory
    }

    public init(environment: Environment) throws(ConfigurationError) {
        self.init(directory: environment.string("BLOCKFLEET_PARSE_DIR"))
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
