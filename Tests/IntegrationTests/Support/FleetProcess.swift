// Starting the real `worker` and `coordinator` executables from tests, and signalling them.

import Foundation
import Testing

/// A child process of the test, killed when the test is done with it.
final class FleetProcess: @unchecked Sendable {
    let process: Process
    let name: String
    let logURL: URL

    /// Folder of the built executables: `BLOCKFLEET_BIN_DIR` (set by scripts/test), else `.build/debug`.
    static var binDirectory: URL {
        if let dir = ProcessInfo.processInfo.environment["BLOCKFLEET_BIN_DIR"], !dir.isEmpty {
            return URL(fileURLWithPath: dir)
        }
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug")
    }

    /// Starts one of our executables by name, or any program by path when `absolute`.
    init(_ executable: String, _ arguments: [String], environment: [String: String] = [:], absolute: Bool = false) throws {
        let url = absolute ? URL(fileURLWithPath: executable) : FleetProcess.binDirectory.appendingPathComponent(executable)
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw TestSetupError("\(url.path) is missing: build first (scripts/test runs `swift build`)")
        }
        name = url.lastPathComponent
        logURL = FileManager.default.temporaryDirectory.appendingPathComponent("blockfleet-\(url.lastPathComponent)-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let log = try FileHandle(forWritingTo: logURL)
        process = Process()
        process.executableURL = url
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["BLOCKFLEET_LOG_LEVEL"] = env["BLOCKFLEET_LOG_LEVEL"] ?? "info"
        // Tests run processes side by side: no HTTP listener unless a test asks for one on a free port.
        env["BLOCKFLEET_HTTP_PORT"] = "0"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.standardOutput = log
        process.standardError = log
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }

    func signal(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Waits for exit and returns the status, failing after `timeout`.
    func waitForExit(timeout: Duration = .seconds(20)) async throws -> Int32 {
        try await eventually("\(name) to exit", timeout: timeout) { !process.isRunning }
        return process.terminationStatus
    }

    var log: String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: logURL)
    }
}
