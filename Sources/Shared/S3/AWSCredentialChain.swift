// Picks the credential source the environment describes, in the AWS SDKs' order.

import AsyncHTTPClient
import Foundation
import Logging

/// Resolves credentials like the AWS SDKs, first that applies:
/// 1. `AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`);
/// 2. web identity (IRSA): `AWS_ROLE_ARN` + `AWS_WEB_IDENTITY_TOKEN_FILE` (+ `AWS_ROLE_SESSION_NAME`),
///    STS at `AWS_ENDPOINT_URL_STS` (https, or http on loopback) or `https://sts.{region}.amazonaws.com`;
/// 3. container credentials (EKS Pod Identity, ECS): `AWS_CONTAINER_CREDENTIALS_FULL_URI` with
///    `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` or `AWS_CONTAINER_AUTHORIZATION_TOKEN`, or
///    `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (ECS, `http://169.254.170.2` + path).
///
/// The choice is made once, from which variables are set, so a typo fails at startup with the
/// variable's name instead of at the first upload. Profiles and instance metadata are not read:
/// BlockFleet runs in Kubernetes or with explicit keys.
public enum AWSCredentialChain {
    public static func resolve(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        httpClient: HTTPClient,
        refreshMargin: Duration = .seconds(300),
        logger: Logger = Logger(label: "blockfleet.s3.credentials")
    ) throws(AWSCredentialError) -> any AWSCredentialProvider {
        let accessKey = environment.nonEmpty("AWS_ACCESS_KEY_ID")
        let secret = environment.nonEmpty("AWS_SECRET_ACCESS_KEY")
        if accessKey != nil || secret != nil {
            guard let accessKey else { throw AWSCredentialError(.missing, source: "AWS_ACCESS_KEY_ID", "unset while AWS_SECRET_ACCESS_KEY is set") }
            guard let secret else { throw AWSCredentialError(.missing, source: "AWS_SECRET_ACCESS_KEY", "unset while AWS_ACCESS_KEY_ID is set") }
            let credentials = AWSCredentials(accessKeyID: accessKey, secretAccessKey: secret, sessionToken: environment.nonEmpty("AWS_SESSION_TOKEN"))
            return AWSStaticCredentialProvider(credentials, source: "environment")
        }

        let roleARN = environment.nonEmpty("AWS_ROLE_ARN")
        let tokenFile = environment.nonEmpty("AWS_WEB_IDENTITY_TOKEN_FILE")
        if roleARN != nil || tokenFile != nil {
            guard let roleARN else { throw AWSCredentialError(.missing, source: "AWS_ROLE_ARN", "unset while AWS_WEB_IDENTITY_TOKEN_FILE is set") }
            guard let tokenFile else { throw AWSCredentialError(.missing, source: "AWS_WEB_IDENTITY_TOKEN_FILE", "unset while AWS_ROLE_ARN is set") }
            let region = environment.nonEmpty("AWS_REGION") ?? environment.nonEmpty("AWS_DEFAULT_REGION") ?? "us-east-1"
            let provider = AWSWebIdentityCredentialProvider(
                roleARN: roleARN,
                tokenFile: tokenFile,
                sessionName: environment.nonEmpty("AWS_ROLE_SESSION_NAME"),
                endpoint: try AWSWebIdentityCredentialProvider.endpoint(environment: environment, region: region),
                httpClient: httpClient
            )
            return AWSCachingCredentialProvider(wrapping: provider, name: "web identity", refreshMargin: refreshMargin, logger: logger)
        }

        let fullURI = environment.nonEmpty("AWS_CONTAINER_CREDENTIALS_FULL_URI")
        let relativeURI = environment.nonEmpty("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
        if fullURI != nil || relativeURI != nil {
            let token: AWSContainerCredentialProvider.Token
            if let file = environment.nonEmpty("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
                token = .file(file)
            } else if let value = environment.nonEmpty("AWS_CONTAINER_AUTHORIZATION_TOKEN") {
                token = .value(value)
            } else {
                token = .none
            }
            let provider: AWSContainerCredentialProvider
            if let relativeURI {
                let path = relativeURI.hasPrefix("/") ? relativeURI : "/" + relativeURI
                provider = try AWSContainerCredentialProvider(url: "http://169.254.170.2" + path, token: token, httpClient: httpClient, setting: "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
            } else {
                provider = try AWSContainerCredentialProvider(url: fullURI!, token: token, httpClient: httpClient)
            }
            return AWSCachingCredentialProvider(wrapping: provider, name: "container", refreshMargin: refreshMargin, logger: logger)
        }

        throw AWSCredentialError(
            .missing,
            source: "AWS credentials",
            "none found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE, or AWS_CONTAINER_CREDENTIALS_FULL_URI"
        )
    }
}
