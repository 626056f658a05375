// S3 settings from the environment: the AWS variables first, BlockFleet's own after.

import Foundation

extension S3Configuration {
    /// Reads:
    /// - `AWS_REGION`, then `AWS_DEFAULT_REGION` (default `us-east-1`);
    /// - `AWS_ENDPOINT_URL_S3`, then `AWS_ENDPOINT_URL` (default AWS);
    /// - `BLOCKFLEET_S3_FORCE_PATH_STYLE` = `true|false` (default: path-style only with a custom endpoint);
    /// - `BLOCKFLEET_S3_MULTIPART_THRESHOLD_MIB`, `BLOCKFLEET_S3_PART_SIZE_MIB` (16, 16; parts ≥ 5),
    ///   `BLOCKFLEET_S3_PART_CONCURRENCY` (4), `BLOCKFLEET_S3_MAX_ATTEMPTS` (4),
    ///   `BLOCKFLEET_S3_REQUEST_TIMEOUT_SECONDS` (30), `BLOCKFLEET_S3_TRANSFER_TIMEOUT_SECONDS` (900).
    /// An empty variable counts as unset. A bad value throws an error naming the variable.
    public init(environment: [String: String]) throws(ConfigurationError) {
        let region = environment.nonEmpty("AWS_REGION") ?? environment.nonEmpty("AWS_DEFAULT_REGION") ?? "us-east-1"
        var endpoint: URL?
        for name in ["AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"] {
            if let value = environment.nonEmpty(name) {
                endpoint = try Self.checkEndpoint(value, setting: name)
                break
            }
        }
        var style: AddressingStyle?
        if let text = environment.nonEmpty("BLOCKFLEET_S3_FORCE_PATH_STYLE") {
            switch text.lowercased() {
            case "true", "1", "yes": style = .path
            case "false", "0", "no": style = .virtualHosted
            default: throw ConfigurationError(.invalidValue, setting: "BLOCKFLEET_S3_FORCE_PATH_STYLE", "'\(text)' is not true or false")
            }
        }

        func integer(_ name: String, _ range: ClosedRange<Int>) throws(ConfigurationError) -> Int? {
            guard let text = environment.nonEmpty(name) else { return nil }
            guard let value = Int(text) else { throw ConfigurationError(.invalidValue, setting: name, "'\(text)' is not an integer") }
            guard range.contains(value) else { throw ConfigurationError(.invalidValue, setting: name, "\(value) is outside \(range.lowerBound)...\(range.upperBound)") }
            return value
        }
        func seconds(_ name: String) throws(ConfigurationError) -> Duration? {
            guard let text = environment.nonEmpty(name) else { return nil }
            guard let value = Double(text), value.isFinite, value > 0, value <= 86_400 else {
                throw ConfigurationError(.invalidValue, setting: name, "'\(text)' is not a number of seconds in (0, 86400]")
            }
            return .milliseconds(Int64((value * 1000).rounded()))
        }

        self.init(region: region, endpoint: endpoint, addressingStyle: style)
        if let mib = try integer("BLOCKFLEET_S3_MULTIPART_THRESHOLD_MIB", 1...5 * 1024) { multipartThreshold = mib << 20 }
        if let mib = try integer("BLOCKFLEET_S3_PART_SIZE_MIB", 5...5 * 1024) { partSize = mib << 20 }
        if let count = try integer("BLOCKFLEET_S3_PART_CONCURRENCY", 1...64) { partConcurrency = count }
        if let attempts = try integer("BLOCKFLEET_S3_MAX_ATTEMPTS", 1...20) { retry.maxAttempts = attempts }
        if let timeout = try seconds("BLOCKFLEET_S3_REQUEST_TIMEOUT_SECONDS") { requestTimeout = timeout }
        if let timeout = try seconds("BLOCKFLEET_S3_TRANSFER_TIMEOUT_SECONDS") { transferTimeout = timeout }
        try validate()
    }
}
