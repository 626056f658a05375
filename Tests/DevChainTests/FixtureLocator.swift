// FixtureLocator: finds the project's copy of ethereum-etl's fixtures from the test sources' location.

import Foundation

/// The recorded fixtures are the project's own copy (Tests/SharedTests/Fixtures), so a clone
/// of the repository by itself runs every test.
/// `BLOCKFLEET_FIXTURES` overrides the location.
enum FixtureLocator {
    static var ethereumETLRoot: String {
        if let override = ProcessInfo.processInfo.environment["BLOCKFLEET_FIXTURES"] {
            return override
        }
        let here = URL(fileURLWithPath: #filePath)
        return here.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("SharedTests/Fixtures/ethereum-etl").path
    }

    /// Every case directory (`<job>/<case>`), sorted.
    static func caseDirectories() -> [String] {
        let fm = FileManager.default
        let root = ethereumETLRoot
        var out: [String] = []
        for job in (try? fm.contentsOfDirectory(atPath: root)) ?? [] {
            let jobPath = root + "/" + job
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: jobPath, isDirectory: &isDir), isDir.boolValue else { continue }
            for c in (try? fm.contentsOfDirectory(atPath: jobPath)) ?? [] {
                let casePath = jobPath + "/" + c
                if fm.fileExists(atPath: casePath, isDirectory: &isDir), isDir.boolValue { out.append(casePath) }
            }
        }
        return out.sorted()
    }
}
