// Choosing the staging backend for a location.

import AsyncHTTPClient
import Logging

public enum StagingStores {
    public static func make(_ location: StagingLocation, environment: Environment, http: HTTPClient, logger: Logger) throws -> any StagingStore {
        switch location {
        case .file(let root):
            return FileStagingStore(root: root)
        case .s3:
            throw ConfigurationError(.invalidValue, setting: "BLOCKFLEET_STAGING_URL", "s3:// staging is being integrated")
        }
    }
}
