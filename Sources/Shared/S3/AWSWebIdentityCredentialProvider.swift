// IRSA / web identity: trade a projected service-account token for temporary keys at STS.

import AsyncHTTPClient
import Foundation
import NIOCore

/// Calls STS `AssumeRoleWithWebIdentity` (an unsigned call: the token is the proof) with the
/// token read afresh from `tokenFile` each time, since Kubernetes rotates it. Wrap it in
/// `AWSCachingCredentialProvider`; `AWSCredentialChain` does.
public struct AWSWebIdentityCredentialProvider: AWSCredentialProvider, CustomStringConvertible {
    public let roleARN: String
    public let tokenFile: String
    public let sessionName: String
    /// The STS endpoint, e.g. `https://sts.us-east-1.amazonaws.com`.
    public let endpoint: String
    public let httpClient: HTTPClient
    public let timeout: Duration

    public init(roleARN: String, tokenFile: String, sessionName: String? = nil, endpoint: String, httpClient: HTTPClient, timeout: Duration = .seconds(30)) {
        self.roleARN = roleARN
        self.tokenFile = tokenFile
        self.sessionName = sessionName ?? "blockfleet-\(Int(Date().timeIntervalSince1970))"
        self.endpoint = endpoint
        self.httpClient = httpClient
        self.timeout = timeout
    }

    /// The regional STS endpoint, unless `AWS_ENDPOINT_URL_STS` names another. Not the global
    /// `AWS_ENDPOINT_URL`, which often points at a local http S3: the web identity token would go
    /// there in clear. An http endpoint is accepted only on the loopback interface.
    public static func endpoint(environment: [String: String], region: String) throws(AWSCredentialError) -> String {
        let name = "AWS_ENDPOINT_URL_STS"
        guard let value = environment.nonEmpty(name) else { return "https://sts.\(region).amazonaws.com" }
        guard let url = URL(string: value), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host?.lowercased() else {
            throw AWSCredentialError(.invalidValue, source: name, "'\(value)' is not an http(s) URL")
        }
        let loopback = host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
        guard scheme == "https" || loopback else {
            throw AWSCredentialError(.invalidValue, source: name, "'\(value)' would send the web identity token in clear; use https (http only on 127.0.0.1)")
        }
        return value
    }

    public var description: String { "web identity (STS AssumeRoleWithWebIdentity for \(roleARN) at \(endpoint))" }

    public func credentials() async throws -> AWSCredentials {
        let source = "STS AssumeRoleWithWebIdentity"
        let token: String
        do {
            token = try String(contentsOfFile: tokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        } catch {
            throw AWSCredentialError(.unreadableFile, source: "AWS_WEB_IDENTITY_TOKEN_FILE", "cannot read \(tokenFile)")
        }
        guard !token.isEmpty else {
            throw AWSCredentialError(.unreadableFile, source: "AWS_WEB_IDENTITY_TOKEN_FILE", "\(tokenFile) is empty")
        }
        let form = [
            ("Action", "AssumeRoleWithWebIdentity"),
            ("Version", "2011-06-15"),
            ("RoleArn", roleARN),
            ("RoleSessionName", sessionName),
            ("WebIdentityToken", token),
        ].map { "\(AWSSigV4Signer.uriEncode($0.0))=\(AWSSigV4Signer.uriEncode($0.1))" }.joined(separator: "&")

        var request = HTTPClientRequest(url: endpoint.hasSuffix("/") ? endpoint : endpoint + "/")
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/x-www-form-urlencoded; charset=utf-8")
        request.headers.add(name: "accept", value: "application/xml")
        request.body = .bytes(ByteBuffer(string: form))

        let (status, body) = try await AWSCredentialHTTP.fetch(request, httpClient: httpClient, timeout: timeout, source: source)
        let root: S3XMLElement
        do {
            root = try S3XMLParser.parse(body)
        } catch {
            throw AWSCredentialError(.malformedResponse, source: source, statusCode: status, "the answer is not XML")
        }
        guard (200..<300).contains(status) else {
            // STS errors: <ErrorResponse><Error><Code>…</Code><Message>…</Message></Error></ErrorResponse>.
            let error = root.name == "Error" ? root : root.child("Error")
            let code = error?.value("Code") ?? "unknown"
            let message = error?.value("Message") ?? "no message"
            throw AWSCredentialError(.providerFailed, source: source, statusCode: status, "\(code): \(message)")
        }
        guard let credentials = root.child("AssumeRoleWithWebIdentityResult")?.child("Credentials") ?? root.child("Credentials"),
              let accessKey = credentials.value("AccessKeyId"), !accessKey.isEmpty,
              let secret = credentials.value("SecretAccessKey"), !secret.isEmpty
        else {
            throw AWSCredentialError(.malformedResponse, source: source, statusCode: status, "no Credentials in the answer")
        }
        let expiration = credentials.value("Expiration").flatMap(AWSTimestamp.parseISO8601)
        guard expiration != nil else {
            throw AWSCredentialError(.malformedResponse, source: source, statusCode: status, "no readable Expiration in the answer")
        }
        return AWSCredentials(accessKeyID: accessKey, secretAccessKey: secret, sessionToken: credentials.value("SessionToken"), expiration: expiration)
    }
}

/// The one HTTP exchange credential endpoints need: a small answer, bounded in size and time.
enum AWSCredentialHTTP {
    static func fetch(_ request: HTTPClientRequest, httpClient: HTTPClient, timeout: Duration, source: String) async throws -> (Int, ByteBuffer) {
        do {
            let response = try await httpClient.execute(request, timeout: .nanoseconds(Int64(timeout.s3Seconds * 1e9)))
            let body = try await response.body.collect(upTo: 1 << 20)
            return (Int(response.status.code), body)
        } catch let error as AWSCredentialError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            // The request carries a token; the error text of the transport does not.
            throw AWSCredentialError(.transport, source: source, "\(type(of: error)): \(error)")
        }
    }
}

extension Dictionary where Key == String, Value == String {
    /// The trimmed value, or nil when unset or empty (an empty variable means "not set").
    func nonEmpty(_ name: String) -> String? {
        guard let value = self[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }
}
