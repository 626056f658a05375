// Where the web identity token is sent: only STS's own endpoint variable, never in clear off-host.

import Testing
@testable import Shared

@Suite("STS endpoint")
struct STSEndpointTests {
    @Test("AWS_ENDPOINT_URL (a local S3) is not used for STS; the regional endpoint is")
    func globalEndpointIsIgnored() throws {
        let endpoint = try AWSWebIdentityCredentialProvider.endpoint(
            environment: ["AWS_ENDPOINT_URL": "http://minio.internal:9000"], region: "eu-west-1")
        #expect(endpoint == "https://sts.eu-west-1.amazonaws.com")
    }

    @Test("AWS_ENDPOINT_URL_STS is used when https, or http on loopback")
    func stsEndpoint() throws {
        #expect(try AWSWebIdentityCredentialProvider.endpoint(environment: ["AWS_ENDPOINT_URL_STS": "https://sts.example.com"], region: "us-east-1") == "https://sts.example.com")
        #expect(try AWSWebIdentityCredentialProvider.endpoint(environment: ["AWS_ENDPOINT_URL_STS": "http://127.0.0.1:4566"], region: "us-east-1") == "http://127.0.0.1:4566")
    }

    @Test("an http STS endpoint off the loopback interface is refused, naming the variable")
    func clearTextRefused() throws {
        let error = try #require(throws: AWSCredentialError.self) {
            try AWSWebIdentityCredentialProvider.endpoint(environment: ["AWS_ENDPOINT_URL_STS": "http://sts.internal"], region: "us-east-1")
        }
        #expect("\(error)".contains("AWS_ENDPOINT_URL_STS"))
    }
}
