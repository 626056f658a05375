// AWS Signature Version 4 for the Authorization header: a pure function of its inputs.

import Crypto
import Foundation

/// Signs requests with SigV4 (header auth). Pure: the same method, path, query, headers,
/// payload hash, date and credentials always give the same signature, which is what the
/// published test vectors check.
///
/// S3 flavour: paths are encoded once per segment and never normalised (`a//b/../c` is a key).
public struct AWSSigV4Signer: Sendable {
    public static let algorithm = "AWS4-HMAC-SHA256"
    /// Hex SHA-256 of the empty payload.
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    public let region: String
    public let service: String

    public init(region: String, service: String = "s3") {
        self.region = region
        self.service = service
    }

    /// What signing produced: the headers to send and, for tests, each intermediate step.
    public struct Signature: Sendable {
        public let canonicalRequest: String
        public let stringToSign: String
        /// Hex HMAC; secret-derived, so keep it out of logs like the header it goes in.
        public let signature: String
        public let authorization: String
        /// `x-amz-date`, `x-amz-security-token` and `x-amz-content-sha256` (as asked), then
        /// `authorization`: add these to the request's own headers.
        public let addedHeaders: [(name: String, value: String)]
        public let signedHeaders: String
    }

    /// Signs a request.
    /// - Parameters:
    ///   - path: the decoded path (`/bucket/my key.txt`); each segment is percent-encoded here,
    ///     and the request must be sent with `canonicalURI(path)` so that both agree.
    ///   - query: decoded name/value pairs; `canonicalQuery(query)` is what must be sent.
    ///   - headers: the headers to sign, `host` among them; names in any case.
    ///   - payloadHash: hex SHA-256 of the body (`emptyPayloadHash` for none).
    ///   - contentSHA256Header: add and sign `x-amz-content-sha256` (S3 requires it).
    public func sign(
        method: String,
        path: String,
        query: [(String, String)] = [],
        headers: [(String, String)],
        payloadHash: String,
        date: Date,
        credentials: AWSCredentials,
        contentSHA256Header: Bool = true
    ) -> Signature {
        let amzDate = AWSTimestamp.amzDate(date)
        let day = String(amzDate.prefix(8))
        var added: [(name: String, value: String)] = [("x-amz-date", amzDate)]
        if contentSHA256Header { added.append(("x-amz-content-sha256", payloadHash)) }
        if let token = credentials.sessionToken { added.append(("x-amz-security-token", token)) }

        let canonical = Self.canonicalHeaders(headers + added.map { ($0.name, $0.value) })
        let canonicalRequest = [
            method.uppercased(),
            Self.canonicalURI(path),
            Self.canonicalQuery(query),
            canonical.block,
            canonical.signedHeaders,
            payloadHash,
        ].joined(separator: "\n")

        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = [Self.algorithm, amzDate, scope, Self.hexSHA256(Data(canonicalRequest.utf8))].joined(separator: "\n")

        let key = signingKey(secret: credentials.secretAccessKey, day: day)
        let signature = Self.hex(HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: key))
        let authorization = "\(Self.algorithm) Credential=\(credentials.accessKeyID)/\(scope), SignedHeaders=\(canonical.signedHeaders), Signature=\(signature)"
        added.append(("authorization", authorization))
        return Signature(
            canonicalRequest: canonicalRequest,
            stringToSign: stringToSign,
            signature: signature,
            authorization: authorization,
            addedHeaders: added,
            signedHeaders: canonical.signedHeaders
        )
    }

    /// kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, day), region), service), "aws4_request").
    func signingKey(secret: String, day: String) -> SymmetricKey {
        var key = SymmetricKey(data: Data("AWS4\(secret)".utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        return key
    }

    // MARK: Canonical pieces

    /// Percent-encodes each `/`-separated segment of a decoded path (RFC 3986 unreserved
    /// characters stay). An empty path is `/`.
    public static func canonicalURI(_ path: String) -> String {
        if path.isEmpty { return "/" }
        let encoded = path.split(separator: "/", omittingEmptySubsequences: false).map { uriEncode(String($0)) }.joined(separator: "/")
        return encoded.hasPrefix("/") ? encoded : "/" + encoded
    }

    /// `name=value` pairs, each side RFC 3986 encoded, sorted by name then value (byte order).
    /// A parameter without a value is `name=`.
    public static func canonicalQuery(_ query: [(String, String)]) -> String {
        query.map { (uriEncode($0.0), uriEncode($0.1)) }
            .sorted { $0.0 == $1.0 ? $0.1.utf8.lexicographicallyPrecedes($1.1.utf8) : $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    /// Lower-cased names, sorted; values trimmed, inner runs of spaces folded to one; repeated
    /// names joined with commas in the order given.
    static func canonicalHeaders(_ headers: [(String, String)]) -> (block: String, signedHeaders: String) {
        var merged: [String: [String]] = [:]
        for (name, value) in headers {
            merged[name.lowercased(), default: []].append(foldSpaces(value))
        }
        let names = merged.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let block = names.map { "\($0):\(merged[$0]!.joined(separator: ","))\n" }.joined()
        return (block, names.joined(separator: ";"))
    }

    private static func foldSpaces(_ value: String) -> String {
        var result = ""
        var pendingSpace = false
        for character in value.trimmingCharacters(in: .whitespacesAndNewlines) {
            if character == " " || character == "\t" || character == "\n" || character == "\r\n" {
                pendingSpace = true
            } else {
                if pendingSpace { result.append(" ") }
                pendingSpace = false
                result.append(character)
            }
        }
        return result
    }

    /// RFC 3986 percent-encoding of everything but `A-Z a-z 0-9 - . _ ~`, upper-case hex.
    public static func uriEncode(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "_"), UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                result += "%"
                result.unicodeScalars.append(hexDigits[Int(byte >> 4)])
                result.unicodeScalars.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return result
    }

    private static let hexDigits: [Unicode.Scalar] = Array("0123456789ABCDEF".unicodeScalars)
    private static let lowerHexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    public static func hexSHA256(_ data: some DataProtocol) -> String {
        hex(SHA256.hash(data: data))
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(lowerHexDigits[Int(byte >> 4)])
            out.append(lowerHexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
