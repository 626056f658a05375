// EKS Pod Identity and ECS task roles: a local agent hands out temporary keys over HTTP.

import AsyncHTTPClient
import Foundation
import NIOCore

/// GETs credentials from the container credential endpoint (`AWS_CONTAINER_CREDENTIALS_FULL_URI`,
/// e.g. the EKS Pod Identity agent at `http://169.254.170.23/v1/credentials`) with the
/// authorization token as the `Authorization` header. The token file is read on every fetch,
/// since it rotates. Wrap it in `AWSCachingCredentialProvider`; `AWSCredentialChain` does.
public struct AWSContainerCredentialProvider: AWSCredentialProvider, CustomStringConvertible {
    public enum Token: Sendable {
        case none
        case value(String)
        case file(String)
    }

    public let url: String
    public let token: Token
    public let httpClient: HTTPClient
    public let timeout: Duration

    /// Plain http is allowed only to loopback and the ECS/EKS link-local agents, as in the AWS
    /// SDKs, so a misconfigured URL cannot send the token across a network in clear.
    public init(url: String, token: Token, httpClient: HTTPClient, timeout: Duration = .seconds(10), setting: String = "AWS_CONTAINER_CREDENTIALS_FULL_URI") throws(AWSCredentialError) {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), let host = parsed.host else {
            throw AWSCredentialError(.invalidValue, source: setting, "'\(url)' is not a URL")
        }
        switch scheme {
        case "https":
            break
        case "http":
            let allowed: Set<String> = ["127.0.0.1", "localhost", "::1", "[::1]", "169.254.170.2", "169.254.170.23", "fd00:ec2::23", "[fd00:ec2::23]"]
            guard allowed.contains(host.lowercased()) || host.hasPrefix("127.") else {
                throw AWSCredentialError(.invalidValue, source: setting, "http is allowed only to loopback or the ECS/EKS agent (169.254.170.2, 169.254.170.23), not \(host)")
            }
        default:
            throw AWSCredentialError(.invalidValue, source: setting, "'\(url)' is not an http(s) URL")
        }
        self.url = url
        self.token = token
        self.httpClient = httpClient
        self.timeout = timeout
    }

    public var description: String { "container credentials (\(url))" }

    private struct Answer: Decodable {
        let AccessKeyId: String?
        let SecretAccessKey: String?
        let Token: String?
        let Expiration: String?
        let Code: String?
        let Message: String?
    }

    public func credentials() async throws -> AWSCredentials {
        let source = "container credentials endpoint"
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        request.headers.add(name: "accept", value: "application/json")
        switch token {
        case .none:
            break
        case .value(let value):
            request.headers.add(name: "authorization", value: value)
        case .file(let path):
            let value: String
            do {
                value = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            } catch {
                throw AWSCredentialError(.unreadableFile, source: "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "cannot read \(path)")
            }
            guard !value.isEmpty, !value.contains("\r"), !value.contains("\n") else {
                throw AWSCredentialError(.invalidValue, source: "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "\(path) does not hold a one-line token")
            }
            request.headers.add(name: "authorization", value: value)
        }

        let (status, body) = try await AWSCredentialHTTP.fetch(request, httpClient: httpClient, timeout: timeout, source: source)
        let answer = try? JSONDecoder().decode(Answer.self, from: Data(body.readableBytesView))
        guard (200..<300).contains(status) else {
            let detail = [answer?.Code, answer?.Message].compactMap { $0 }.joined(separator: ": ")
            throw AWSCredentialError(.providerFailed, source: source, statusCode: status, detail.isEmpty ? "refused" : detail)
        }
        guard let answer, let accessKey = answer.AccessKeyId, !accessKey.isEmpty, let secret = answer.SecretAccessKey, !secret.isEmpty else {
            throw AWSCredentialError(.malformedResponse, source: source, statusCode: status, "no AccessKeyId/SecretAccessKey in the answer")
        }
        let expiration = answer.Expiration.flatMap(AWSTimestamp.parseISO8601)
        if answer.Expiration != nil, expiration == nil {
            throw AWSCredentialError(.malformedResponse, source: source, statusCode: status, "unreadable Expiration")
        }
        return AWSCredentials(accessKeyID: accessKey, secretAccessKey: secret, sessionToken: answer.Token, expiration: expiration)
    }
}
