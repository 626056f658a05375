// Locates and reads the ethereum-etl fixture files copied into Tests/SharedTests/Fixtures.

import Foundation

/// The fixtures folder, found from this file's real path so the tests work both in the main
/// package and in a dev package that reaches this folder through a symlink.
enum FixtureFiles {
    static let root: URL = {
        var folder = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("Fixtures/ethereum-etl", isDirectory: true)
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        fatalError("no Fixtures/ethereum-etl folder above \(#filePath)")
    }()

    /// The URL of a file of a case, e.g. `url("test_export_blocks_job", "block_with_logs", "expected_blocks.csv")`.
    static func url(_ job: String, _ name: String, _ file: String) -> URL {
        root.appendingPathComponent(job).appendingPathComponent(name).appendingPathComponent(file)
    }

    static func data(_ job: String, _ name: String, _ file: String) throws -> Data {
        try Data(contentsOf: url(job, name, file))
    }

    static func text(_ job: String, _ name: String, _ file: String) throws -> String {
        String(decoding: try data(job, name, file), as: UTF8.self)
    }

    /// The recorded responses of a case whose file names start with the method's prefix, sorted.
    static func responses(_ job: String, _ name: String, prefix: String) throws -> [Data] {
        let folder = root.appendingPathComponent(job).appendingPathComponent(name)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasPrefix(prefix) }
            .sorted()
        return try files.map { try Data(contentsOf: folder.appendingPathComponent($0)) }
    }
}
