// Locates ethereum-etl-airflow's table definitions copied into Tests/SharedTests/Fixtures.

import Foundation
@testable import Shared

/// The fixture folder, found from this file's real path (works through a dev package's symlink).
enum AirflowDefinitions {
    static let root: URL = {
        var folder = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("Fixtures/ethereum-etl-airflow/table_definitions", isDirectory: true)
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        fatalError("no Fixtures/ethereum-etl-airflow folder above \(#filePath)")
    }()

    static func data(_ relative: String) throws -> Data {
        try Data(contentsOf: root.appendingPathComponent(relative))
    }

    static func definition(_ relative: String) throws -> DecodedTableDefinition {
        try DecodedTableDefinition(file: relative, data: try data(relative))
    }

    /// Every definition file (`.json`) under the folder, relative paths.
    static func files() throws -> [String] {
        let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        var found: [String] = []
        while let url = enumerator?.nextObject() as? URL {
            if url.pathExtension == "json" { found.append(url.path) }
        }
        return found
    }
}
