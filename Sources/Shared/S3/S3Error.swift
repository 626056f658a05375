// The error every S3 call fails with: classified for retries, and never carrying credentials.

/// A failed S3 operation, naming the operation, bucket and key, with S3's own `<Code>` and
/// `<Message>` when it sent them. It never holds a secret key, session token, signature or
/// `Authorization` header, so it can be logged as it is.
public struct S3Error: Error, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable {
        /// Could not connect, connection reset or closed, TLS failure.
        case transport
        /// The request's deadline passed, or the connection went quiet too long.
        case timeout
        /// S3 answered with an error status; `statusCode` and `s3Code` say which.
        case httpStatus = "http_status"
        /// The answer is not what the operation expects (bad XML, missing ETag).
        case malformedResponse = "malformed_response"
        /// No credentials could be had; the message names the source.
        case credentials
        /// The request cannot be made as asked (bad bucket name, object too large for the part limits).
        case invalidRequest = "invalid_request"
        /// Reading or writing a local file failed (it vanished, shrank, or the disk is full).
        case file
    }

    public let code: Code
    /// The S3 API operation: `PutObject`, `UploadPart`, `ListObjectsV2`, …
    public let operation: String
    public let bucket: String?
    public let key: String?
    /// The HTTP status, when S3 answered.
    public let statusCode: Int?
    /// S3's error code from the XML body (`NoSuchKey`, `SlowDown`, `SignatureDoesNotMatch`, …).
    public let s3Code: String?
    public let message: String
    /// S3's request id (`x-amz-request-id`), for support tickets.
    public let requestID: String?

    public init(
        _ code: Code,
        operation: String,
        bucket: String? = nil,
        key: String? = nil,
        statusCode: Int? = nil,
        s3Code: String? = nil,
        requestID: String? = nil,
        _ message: String
    ) {
        self.code = code
        self.operation = operation
        self.bucket = bucket
        self.key = key
        self.statusCode = statusCode
        self.s3Code = s3Code
        self.requestID = requestID
        self.message = message
    }

    /// S3 codes that mean "try again later" whatever the status says: throttling, S3's own
    /// trouble, and `RequestTimeout` (a 400 S3 sends when an upload stalled on the way).
    static let retryableS3Codes: Set<String> = [
        "SlowDown", "InternalError", "ServiceUnavailable", "RequestTimeout", "Throttling",
        "ThrottlingException", "RequestLimitExceeded", "TooManyRequests", "OperationAborted",
    ]

    /// Whether another attempt could succeed: transport trouble, timeouts, 5xx, 429 and S3's
    /// throttling codes. Other 4xx (403, 404, …) are answers, not accidents, and are not retried.
    public var isRetryable: Bool {
        switch code {
        case .transport, .timeout:
            return true
        case .httpStatus:
            if let s3Code, S3Error.retryableS3Codes.contains(s3Code) { return true }
            guard let statusCode else { return false }
            return statusCode >= 500 || statusCode == 429
        case .malformedResponse, .credentials, .invalidRequest, .file:
            return false
        }
    }

    public var description: String {
        var text = "\(operation) failed (\(code.rawValue)"
        if let statusCode { text += " \(statusCode)" }
        if let s3Code { text += " \(s3Code)" }
        text += ")"
        if let bucket {
            text += " for s3://\(bucket)"
            if let key { text += "/\(key)" }
        }
        text += ": " + message
        if let requestID { text += " [request id \(requestID)]" }
        return text
    }
}
