// Helpers of the operations tests: free ports, plain HTTP GETs, external tools, a devchain process.

import AsyncHTTPClient
import Foundation
import TestSupport
import NIOCore
import Testing

enum Ops {
    /// A TCP port free on 127.0.0.1 right now (the kernel picks it; the socket is closed at once).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSetupError("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw TestSetupError("bind() failed") }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port` now.
    static func connects(port: Int) throws -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSetupError("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    /// GET `url`: status and body, or nil when nothing answers.
    static func get(_ url: String) async -> (status: Int, body: String)? {
        do {
            // Generous: a loaded 2-core CI machine can take seconds to answer; failures still fail fast.
            let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(15))
            let body = try await response.body.collect(upTo: 16 << 20)
            return (Int(response.status.code), String(buffer: body))
        } catch {
            return nil
        }
    }

    /// Runs a program to completion: exit status, standard output + error (`output`), and standard output alone.
    static func run(_ path: String, _ arguments: [String], input: String? = nil, environment: [String: String] = [:]) async throws -> (status: Int32, output: String, stdout: String) {
        let result = try await ChildProcess.run(path, arguments, input: input.map { Data($0.utf8) }, environment: environment)
        return (result.status, result.stdoutText + result.stderrText, result.stdoutText)
    }

    /// The first of `names` found on PATH (or at an absolute path).
    static func which(_ names: String...) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in names {
            if name.hasPrefix("/") { if FileManager.default.isExecutableFile(atPath: name) { return name } else { continue } }
            for dir in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
                return "\(dir)/\(name)"
            }
        }
        return nil
    }

    /// Starts `devchain` with `arguments` on a free port; returns it and its URL once it listens.
    static func startDevChain(_ arguments: [String]) async throws -> (FleetProcess, String) {
        let node = try FleetProcess("devchain", arguments + ["--port", "0"])
        var url: String?
        // Generous: with the whole suite running, a 2-core machine can take a while to start it.
        try await eventually("devchain to listen", timeout: .seconds(60)) {
            if let range = node.log.range(of: #"127\.0\.0\.1:[0-9]+"#, options: .regularExpression) {
                url = "http://" + node.log[range]
            }
            return url != nil || !node.isRunning
        }
        guard let url else { throw TestSetupError("devchain did not start:\n\(node.log)") }
        return (node, url)
    }

    /// Runs the real `coordinator` with `arguments` to completion.
    static func coordinator(_ arguments: [String], database: String) async throws -> (status: Int32, output: String, stdout: String) {
        try await run(FleetProcess.binDirectory.appendingPathComponent("coordinator").path, arguments,
                environment: ["BLOCKFLEET_DATABASE_URL": database, "BLOCKFLEET_HTTP_PORT": "0"])
    }

    /// The value of an unlabelled or labelled sample in Prometheus text, e.g. `blockfleet_coordinator_leader`.
    static func sample(_ exposition: String, _ series: String) -> Double? {
        for line in exposition.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }
}
