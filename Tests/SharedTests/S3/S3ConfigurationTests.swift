// Configuration from the environment, s3:// URLs, addressing, error classification and parsing.

import AsyncHTTPClient
import Foundation
import Shared
import Testing

@Suite("S3 configuration")
struct S3ConfigurationTests {
    @Test("defaults: us-east-1, AWS endpoint, virtual-hosted, 16 MiB threshold and parts, 4 in flight, 4 attempts")
    func defaults() throws {
        let configuration = try S3Configuration(environment: [:])
        #expect(configuration.region == "us-east-1")
        #expect(configuration.endpoint == nil)
        #expect(configuration.resolvedEndpoint.absoluteString == "https://s3.us-east-1.amazonaws.com")
        #expect(configuration.addressingStyle == .virtualHosted)
        #expect(configuration.multipartThreshold == 16 << 20 && configuration.partSize == 16 << 20)
        #expect(configuration.partConcurrency == 4 && configuration.retry.maxAttempts == 4)
    }

    @Test("AWS_REGION beats AWS_DEFAULT_REGION; AWS_ENDPOINT_URL_S3 beats AWS_ENDPOINT_URL and means path-style")
    func precedence() throws {
        let configuration = try S3Configuration(environment: [
            "AWS_REGION": "eu-west-1", "AWS_DEFAULT_REGION": "us-west-2",
            "AWS_ENDPOINT_URL_S3": "http://127.0.0.1:58333", "AWS_ENDPOINT_URL": "http://elsewhere:1",
        ])
        #expect(configuration.region == "eu-west-1")
        #expect(configuration.endpoint?.absoluteString == "http://127.0.0.1:58333")
        #expect(configuration.addressingStyle == .path)

        let fallback = try S3Configuration(environment: ["AWS_DEFAULT_REGION": "us-west-2", "AWS_ENDPOINT_URL": "https://minio.internal"])
        #expect(fallback.region == "us-west-2" && fallback.endpoint?.host == "minio.internal")

        let forced = try S3Configuration(environment: ["AWS_ENDPOINT_URL_S3": "https://s3.example.com", "BLOCKFLEET_S3_FORCE_PATH_STYLE": "false"])
        #expect(forced.addressingStyle == .virtualHosted)
        let forcedPath = try S3Configuration(environment: ["BLOCKFLEET_S3_FORCE_PATH_STYLE": "true"])
        #expect(forcedPath.addressingStyle == .path)
    }

    @Test("BLOCKFLEET_S3_* sizes, concurrency, attempts and timeouts are read")
    func blockfleetSettings() throws {
        let configuration = try S3Configuration(environment: [
            "BLOCKFLEET_S3_MULTIPART_THRESHOLD_MIB": "64", "BLOCKFLEET_S3_PART_SIZE_MIB": "8",
            "BLOCKFLEET_S3_PART_CONCURRENCY": "2", "BLOCKFLEET_S3_MAX_ATTEMPTS": "6",
            "BLOCKFLEET_S3_REQUEST_TIMEOUT_SECONDS": "2.5", "BLOCKFLEET_S3_TRANSFER_TIMEOUT_SECONDS": "120",
        ])
        #expect(configuration.multipartThreshold == 64 << 20 && configuration.partSize == 8 << 20)
        #expect(configuration.partConcurrency == 2 && configuration.retry.maxAttempts == 6)
        #expect(configuration.requestTimeout == .milliseconds(2500) && configuration.transferTimeout == .seconds(120))
    }

    @Test("a bad variable is named in the error", arguments: [
        ("AWS_ENDPOINT_URL_S3", "ftp://host"),
        ("AWS_ENDPOINT_URL", "not a url"),
        ("BLOCKFLEET_S3_FORCE_PATH_STYLE", "sometimes"),
        ("BLOCKFLEET_S3_PART_SIZE_MIB", "4"),
        ("BLOCKFLEET_S3_PART_CONCURRENCY", "many"),
        ("BLOCKFLEET_S3_REQUEST_TIMEOUT_SECONDS", "-1"),
    ])
    func badVariable(name: String, value: String) {
        #expect {
            _ = try S3Configuration(environment: [name: value])
        } throws: { error in
            guard let error = error as? ConfigurationError else { return false }
            return error.setting == name && error.description.hasPrefix(name + ": ")
        }
    }

    @Test("s3:// URLs give bucket and prefix; bad ones say what is wrong")
    func s3URLs() throws {
        let location = try S3Location(url: "s3://blockfleet-exports/mainnet/blocks/")
        #expect(location.bucket == "blockfleet-exports" && location.prefix == "mainnet/blocks/")
        #expect(location.key("0000.parquet") == "mainnet/blocks/0000.parquet")
        #expect(location.description == "s3://blockfleet-exports/mainnet/blocks/")
        let bare = try S3Location(url: "s3://my.bucket")
        #expect(bare.prefix == "" && bare.key("a/b") == "a/b")
        #expect(try S3Location(url: "s3://b12/exports").key("x") == "exports/x")
        #expect(try S3Location(url: "s3://b12/exports").appending("run-1").description == "s3://b12/exports/run-1/")

        let bad: [(String, String)] = [
            ("https://bucket/key", "does not start with s3://"),
            ("s3:///prefix", "has no bucket"),
            ("s3://Upper_Case/x", "may hold only"),
            ("s3://ab/x", "3 to 63"),
            ("s3://bucket/x?versionId=1", "query"),
            ("s3://a..b/x", "adjacent dots"),
        ]
        for (url, expected) in bad {
            #expect {
                _ = try S3Location(url: url, setting: "--output")
            } throws: { error in
                guard let error = error as? ConfigurationError else { return false }
                return error.setting == "--output" && error.message.contains(expected)
            }
        }
    }

    @Test("URLs: virtual-hosted on AWS, path-style on a custom endpoint, keys encoded per segment")
    func addressing() throws {
        let http = HTTPClient.shared
        let provider = AWSStaticCredentialProvider(AWSCredentials(accessKeyID: "a", secretAccessKey: "b"))
        let aws = try S3Client(configuration: S3Configuration(region: "eu-central-1"), credentialProvider: provider, httpClient: http)
        #expect(aws.url(bucket: "exports", key: "a b/c=d.txt") == "https://exports.s3.eu-central-1.amazonaws.com/a%20b/c%3Dd.txt")
        // Dotted buckets cannot be TLS host names: path-style instead.
        #expect(aws.url(bucket: "my.exports", key: "k") == "https://s3.eu-central-1.amazonaws.com/my.exports/k")
        #expect(aws.url(bucket: "exports", key: nil, query: [("list-type", "2"), ("prefix", "ü/")]) == "https://exports.s3.eu-central-1.amazonaws.com/?list-type=2&prefix=%C3%BC%2F")

        let local = try S3Client(
            configuration: S3Configuration(endpoint: URL(string: "http://127.0.0.1:58333")!),
            credentialProvider: provider, httpClient: http
        )
        #expect(local.url(bucket: "exports", key: "dir/ü +.bin") == "http://127.0.0.1:58333/exports/dir/%C3%BC%20%2B.bin")
        #expect(local.url(bucket: nil, key: nil) == "http://127.0.0.1:58333/")
    }

    @Test("a part size below S3's 5 MiB is refused when the client is made")
    func partSizeLimit() {
        #expect(throws: ConfigurationError.self) {
            var configuration = S3Configuration()
            configuration.partSize = 1 << 20
            try configuration.validate()
        }
    }

    @Test("retries: 5xx, 429, SlowDown, RequestTimeout, transport and timeouts; not 403/404")
    func retryable() {
        func status(_ code: Int, _ s3Code: String? = nil) -> S3Error {
            S3Error(.httpStatus, operation: "PutObject", statusCode: code, s3Code: s3Code, "x")
        }
        #expect(status(500).isRetryable && status(503, "SlowDown").isRetryable && status(429).isRetryable)
        #expect(status(400, "RequestTimeout").isRetryable)
        #expect(!status(403, "SignatureDoesNotMatch").isRetryable && !status(404, "NoSuchKey").isRetryable && !status(400, "InvalidArgument").isRetryable)
        #expect(S3Error(.transport, operation: "GetObject", "reset").isRetryable)
        #expect(S3Error(.timeout, operation: "GetObject", "deadline").isRetryable)
        #expect(!S3Error(.file, operation: "Upload", "vanished").isRetryable)
    }

    @Test("backoff doubles up to the cap, with jitter below the raw delay")
    func backoff() {
        let policy = S3RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(100), maxDelay: .milliseconds(350), jitter: 0)
        #expect(policy.delay(afterAttempt: 1) == .milliseconds(100))
        #expect(policy.delay(afterAttempt: 2) == .milliseconds(200))
        #expect(policy.delay(afterAttempt: 3) == .milliseconds(350))
        let jittered = S3RetryPolicy(baseDelay: .milliseconds(100), jitter: 1)
        for _ in 0..<50 { #expect(jittered.delay(afterAttempt: 1) <= .milliseconds(100)) }
    }
}
