// The local staging backend: a folder standing in for a bucket.

import Foundation
import NIOCore

/// Stages objects as files under `root`. A put copies to a temporary name beside the target and
/// renames it into place, so readers never see a half-written object.
public struct FileStagingStore: StagingStore {
    public let root: String

    public init(root: String) {
        self.root = root
    }

    public var location: StagingLocation { .file(root: root) }

    public func put(file: String, key: String, contentType: String) async throws {
        let target = try path(key)
        let folder = (target as NSString).deletingLastPathComponent
        let fileManager = FileManager.default
        do {
            try fileManager.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let temporary = "\(folder)/.tmp-\(UUID().uuidString)"
            try fileManager.copyItem(atPath: file, toPath: temporary)
            if rename(temporary, target) != 0 {
                let reason = String(cString: strerror(errno))
                try? fileManager.removeItem(atPath: temporary)
                throw StagingError(.io, key: key, "rename into place failed: \(reason)")
            }
        } catch let error as StagingError {
            throw error
        } catch {
            throw StagingError(.io, key: key, "\(error)")
        }
    }

    public nonisolated(nonsending) func read(key: String, _ consume: (ByteBuffer) async throws -> Void) async throws {
        let file = try path(key)
        guard let handle = FileHandle(forReadingAtPath: file) else {
            throw StagingError(.notFound, key: key, "no object at \(url(key: key))")
        }
        defer { try? handle.close() }
        while true {
            try Task.checkCancellation()
            let data: Data?
            do { data = try handle.read(upToCount: 1 << 20) } catch { throw StagingError(.io, key: key, "\(error)") }
            guard let data, !data.isEmpty else { return }
            try await consume(ByteBuffer(bytes: data))
        }
    }

    public func size(key: String) async throws -> Int? {
        let attributes = try? FileManager.default.attributesOfItem(atPath: try path(key))
        return (attributes?[.size] as? NSNumber)?.intValue
    }

    public func list(prefix: String) async throws -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
        var keys: [String] = []
        while let relative = enumerator.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            guard !name.hasPrefix(".tmp-"), relative.hasPrefix(prefix) else { continue }
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: "\(root)/\(relative)", isDirectory: &isDirectory), !isDirectory.boolValue {
                keys.append(relative)
            }
        }
        return keys.sorted()
    }

    public func delete(key: String) async throws {
        let file = try path(key)
        guard FileManager.default.fileExists(atPath: file) else { return }
        do { try FileManager.default.removeItem(atPath: file) } catch { throw StagingError(.io, key: key, "\(error)") }
    }

    public func url(key: String) -> String { "file://\(root)/\(key)" }

    /// The file for a key; keys with `..` or absolute paths are refused so no key escapes the root.
    func path(_ key: String) throws -> String {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        guard !key.isEmpty, !key.hasPrefix("/"), !parts.contains(where: { $0 == ".." || $0 == "." || $0.isEmpty }) else {
            throw StagingError(.io, key: key, "not a valid staging key")
        }
        return "\(root)/\(key)"
    }
}
