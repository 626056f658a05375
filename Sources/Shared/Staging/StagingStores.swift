// Choosing the staging backend for a location.

import AsyncHTTPClient
import Logging

public enum StagingStores {
    /// The store for a location. For S3, region, endpoint and credentials come from the AWS
    /// variables (`AWS_REGION`, `AWS_ENDPOINT_URL_S3`, keys, web identity or pod identity).
    public static func make(_ location: StagingLocation, environment: Environment, http: HTTPClient, logger: Logger) throws -> any StagingStore {
        switch location {
        case .file(let root):
            return FileStagingStore(root: root)
        case .s3(let bucket, let prefix):
            let configuration = try S3Configuration(environment: environment.values)
            let credentials = try AWSCredentialChain.resolve(environment: environment.values, httpClient: http, logger: logger)
            let client = try S3Client(configuration: configuration, credentialProvider: credentials, httpClient: http, logger: logger)
            return S3StagingStore(client: client, bucket: bucket, prefix: prefix)
        }
    }
}
