// Where the model SQL files are.

import Foundation

/// Settings of the model stage.
public struct ModelConfiguration: Sendable {
    /// Folder of `*.sql` model files (`BLOCKFLEET_MODELS_DIR`). Default none: only the built-in
    /// enrich models and the verify checks run. The container image sets it to its shipped
    /// `models/` folder.
    public var directory: String?

    public init(directory: String? = nil) {
        self.directory = directory
    }

    public init(environment: Environment) throws(ConfigurationError) {
        self.init(directory: environment.string("BLOCKFLEET_MODELS_DIR"))
        if let directory {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ConfigurationError(.invalidValue, setting: "BLOCKFLEET_MODELS_DIR", "'\(directory)' is not a folder")
            }
        }
    }

    /// Reads and checks every model, naming the file at fault.
    public func catalog() throws(ConfigurationError) -> ModelCatalog {
        do {
            return try ModelCatalog.load(directory: directory)
        } catch {
            throw ConfigurationError(.invalidValue, setting: "BLOCKFLEET_MODELS_DIR", error.message)
        }
    }
}
