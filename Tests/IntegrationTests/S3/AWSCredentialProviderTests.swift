// Credentials: the environment chain, STS web identity and pod identity against local stand-ins,
// and the cache's refresh before expiry with one shared fetch.

import AsyncHTTPClient
import Foundation
import Shared
import Testing

@Suite("AWS credentials", .timeLimit(.minutes(1)))
struct AWSCredentialProviderTests {
    /// AHC's process-wide client: never shut down, fine for short local calls.
    let http = HTTPClient.shared

    static func iso8601(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    static func stsAnswer(accessKey: String, expiration: Date) -> String {
        """
        <AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <AssumeRoleWithWebIdentityResult>
            <SubjectFromWebIdentityToken>system:serviceaccount:fleet:worker</SubjectFromWebIdentityToken>
            <Credentials>
              <SessionToken>session-token-&amp;-more</SessionToken>
              <SecretAccessKey>sts-secret-\(accessKey)</SecretAccessKey>
              <Expiration>\(iso8601(expiration))</Expiration>
              <AccessKeyId>\(accessKey)</AccessKeyId>
            </Credentials>
          </AssumeRoleWithWebIdentityResult>
          <ResponseMetadata><RequestId>ad4156e9-bce1-11e2-82e6-6b6efEXAMPLE</RequestId></ResponseMetadata>
        </AssumeRoleWithWebIdentityResponse>
        """
    }

    @Test("environment keys come first, with the session token")
    func environment() async throws {
        let provider = try AWSCredentialChain.resolve(
            environment: ["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret", "AWS_SESSION_TOKEN": "env-token", "AWS_ROLE_ARN": "ignored"],
            httpClient: http
        )
        let credentials = try await provider.credentials()
        #expect(credentials == AWSCredentials(accessKeyID: "AKIDENV", secretAccessKey: "env-secret", sessionToken: "env-token"))
        #expect(!"\(provider)".contains("env-secret"))
    }

    @Test("a half-set source names the missing variable, never the secret; no source at all lists the options")
    func missing() {
        let cases: [([String: String], String)] = [
            (["AWS_SECRET_ACCESS_KEY": "s3cr3t-value"], "AWS_ACCESS_KEY_ID"),
            (["AWS_ACCESS_KEY_ID": "AKID"], "AWS_SECRET_ACCESS_KEY"),
            (["AWS_WEB_IDENTITY_TOKEN_FILE": "/var/run/token"], "AWS_ROLE_ARN"),
            (["AWS_ROLE_ARN": "arn:aws:iam::1:role/r"], "AWS_WEB_IDENTITY_TOKEN_FILE"),
            (["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://10.0.0.1/creds"], "AWS_CONTAINER_CREDENTIALS_FULL_URI"),
            ([:], "AWS credentials"),
        ]
        for (environment, source) in cases {
            #expect {
                _ = try AWSCredentialChain.resolve(environment: environment, httpClient: http)
            } throws: { error in
                guard let error = error as? AWSCredentialError else { return false }
                return error.source == source && !error.description.contains("s3cr3t-value")
            }
        }
    }

    @Test("web identity: an unsigned AssumeRoleWithWebIdentity with the token file's contents, XML parsed")
    func webIdentity() async throws {
        let directory = try S3TestServer.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let tokenFile = directory.appendingPathComponent("token")
        try "eyJhbGciOiJSUzI1NiJ9.projected.token\n".write(to: tokenFile, atomically: true, encoding: .utf8)
        let expiration = Date().addingTimeInterval(3600)

        try await withLocalHTTPServer({ request in
            let form = request.formParameters
            guard request.method == "POST", form["Action"] == "AssumeRoleWithWebIdentity", form["Version"] == "2011-06-15",
                  form["RoleArn"] == "arn:aws:iam::123456789012:role/blockfleet-worker",
                  form["WebIdentityToken"] == "eyJhbGciOiJSUzI1NiJ9.projected.token",
                  form["RoleSessionName"] == "worker-7", request.header("authorization") == nil
            else {
                return LocalHTTPResponse(status: 400, body: "<ErrorResponse><Error><Code>ValidationError</Code><Message>unexpected request</Message></Error></ErrorResponse>")
            }
            return LocalHTTPResponse(body: Self.stsAnswer(accessKey: "ASIASTS", expiration: expiration))
        }) { server in
            let provider = try AWSCredentialChain.resolve(environment: [
                "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/blockfleet-worker",
                "AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile.path,
                "AWS_ROLE_SESSION_NAME": "worker-7",
                "AWS_ENDPOINT_URL_STS": server.url,
                "AWS_ENDPOINT_URL": "http://127.0.0.1:1",
            ], httpClient: http)
            let credentials = try await provider.credentials()
            #expect(credentials.accessKeyID == "ASIASTS")
            #expect(credentials.secretAccessKey == "sts-secret-ASIASTS")
            #expect(credentials.sessionToken == "session-token-&-more")
            #expect(abs((credentials.expiration ?? .distantPast).timeIntervalSince(expiration)) < 1)
            _ = try await provider.credentials()
            #expect(server.requests.count == 1, "an hour from expiry, the cached credentials serve")
        }
    }

    @Test("web identity: STS's refusal carries its code, not the token")
    func webIdentityRefused() async throws {
        let directory = try S3TestServer.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let tokenFile = directory.appendingPathComponent("token")
        try "secret-jwt-value".write(to: tokenFile, atomically: true, encoding: .utf8)
        try await withLocalHTTPServer({ _ in
            LocalHTTPResponse(status: 400, body: "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code><Message>Token expired</Message></Error></ErrorResponse>")
        }) { server in
            let provider = AWSWebIdentityCredentialProvider(roleARN: "arn:aws:iam::1:role/r", tokenFile: tokenFile.path, endpoint: server.url, httpClient: http)
            await #expect {
                _ = try await provider.credentials()
            } throws: { error in
                guard let error = error as? AWSCredentialError else { return false }
                return error.code == .providerFailed && error.statusCode == 400 && error.message.contains("InvalidIdentityToken")
                    && !error.description.contains("secret-jwt-value")
            }
        }
    }

    @Test("pod identity: GET with the token file's contents as Authorization; JSON parsed")
    func podIdentity() async throws {
        let directory = try S3TestServer.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let tokenFile = directory.appendingPathComponent("eks-pod-identity-token")
        try "pod-identity-jwt".write(to: tokenFile, atomically: true, encoding: .utf8)
        let expiration = Self.iso8601(Date().addingTimeInterval(6 * 3600))
        try await withLocalHTTPServer({ request in
            guard request.method == "GET", request.uri == "/v1/credentials", request.header("authorization") == "pod-identity-jwt" else {
                return LocalHTTPResponse(status: 401, body: #"{"Code":"AccessDenied","Message":"bad token"}"#)
            }
            return LocalHTTPResponse(headers: [("content-type", "application/json")], body: """
                {"AccessKeyId":"ASIAPOD","SecretAccessKey":"pod-secret","Token":"pod-token","AccountId":"123456789012","Expiration":"\(expiration)"}
                """)
        }) { server in
            let provider = try AWSCredentialChain.resolve(environment: [
                "AWS_CONTAINER_CREDENTIALS_FULL_URI": server.url + "/v1/credentials",
                "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile.path,
            ], httpClient: http)
            let credentials = try await provider.credentials()
            #expect(credentials.accessKeyID == "ASIAPOD" && credentials.secretAccessKey == "pod-secret" && credentials.sessionToken == "pod-token")
            #expect(credentials.expiration != nil)

            let wrongToken = try AWSContainerCredentialProvider(url: server.url + "/v1/credentials", token: .value("wrong"), httpClient: http)
            await #expect {
                _ = try await wrongToken.credentials()
            } throws: { error in
                (error as? AWSCredentialError)?.statusCode == 401 && !"\(error)".contains("wrong")
            }
        }
    }

    @Test("credentials near expiry are refreshed; far from it they are reused")
    func refreshNearExpiry() async throws {
        let counter = LockedBox(0)
        try await withLocalHTTPServer({ _ in
            let n = counter.withValue { $0 += 1; return $0 }
            // The first answer expires in 2 minutes (inside the 5-minute margin), later ones in an hour.
            let expiration = Date().addingTimeInterval(n == 1 ? 120 : 3600)
            return LocalHTTPResponse(body: Self.stsAnswer(accessKey: "ASIA\(n)", expiration: expiration))
        }) { server in
            let directory = try S3TestServer.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let tokenFile = directory.appendingPathComponent("token")
            try "t".write(to: tokenFile, atomically: true, encoding: .utf8)
            let provider = AWSCachingCredentialProvider(
                wrapping: AWSWebIdentityCredentialProvider(roleARN: "arn:aws:iam::1:role/r", tokenFile: tokenFile.path, endpoint: server.url, httpClient: http),
                name: "web identity"
            )
            #expect(try await provider.credentials().accessKeyID == "ASIA1")
            #expect(try await provider.credentials().accessKeyID == "ASIA2", "2 minutes from expiry: refreshed")
            #expect(try await provider.credentials().accessKeyID == "ASIA2", "an hour from expiry: cached")
            #expect(server.requests.count == 2)
        }
    }

    @Test("concurrent callers during a refresh share one fetch")
    func oneRefreshForConcurrentCallers() async throws {
        let fetches = LockedBox(0)
        let provider = AWSCachingCredentialProvider(name: "slow") {
            let n = fetches.withValue { $0 += 1; return $0 }
            try await Task.sleep(for: .milliseconds(200))
            return AWSCredentials(accessKeyID: "ASIA\(n)", secretAccessKey: "s", sessionToken: "t", expiration: Date().addingTimeInterval(3600))
        }
        let keys = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<50 { group.addTask { try await provider.credentials().accessKeyID } }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(keys == ["ASIA1"])
        #expect(fetches.value == 1)
        #expect(await provider.fetchCount == 1)
    }

    @Test("a failed refresh falls back to credentials that are still valid, and fails once they are not")
    func refreshFailureFallsBack() async throws {
        let clock = LockedBox(Date(timeIntervalSince1970: 1_700_000_000))
        let fail = LockedBox(false)
        let provider = AWSCachingCredentialProvider(name: "flaky", now: { clock.value }) {
            if fail.value { throw AWSCredentialError(.providerFailed, source: "STS", statusCode: 503, "unavailable") }
            return AWSCredentials(accessKeyID: "ASIA", secretAccessKey: "s", expiration: clock.value.addingTimeInterval(600))
        }
        _ = try await provider.credentials()
        fail.withValue { $0 = true }
        clock.withValue { $0 = $0.addingTimeInterval(400) } // 200 s left: inside the margin, still valid
        #expect(try await provider.credentials().accessKeyID == "ASIA")
        clock.withValue { $0 = $0.addingTimeInterval(300) } // expired
        await #expect(throws: AWSCredentialError.self) { try await provider.credentials() }
    }
}
