// Deterministic object keys: a retried export overwrites exactly what the failed one wrote.

/// Names staged objects by (entity, range) so that every attempt of a range writes the same keys.
public struct StagingKeys: Sendable, Equatable {
    /// Key prefix without leading or trailing `/` ("" for none).
    public let prefix: String

    public init(prefix: String) {
        var prefix = prefix
        while prefix.hasPrefix("/") { prefix.removeFirst() }
        while prefix.hasSuffix("/") { prefix.removeLast() }
        self.prefix = prefix
    }

    /// `{prefix}/{entity}/{first:010}-{last:010}.{csv|json}.gz`
    public func file(entity: ExportEntity, first: UInt64, last: UInt64, format: RowFormat) -> String {
        joined("\(entity.rawValue)/\(StagingKeys.rangeName(first: first, last: last)).\(format.fileExtension).gz")
    }

    /// `{prefix}/_manifests/{first:010}-{last:010}.json`, written after every file it lists.
    public func manifest(first: UInt64, last: UInt64) -> String {
        joined("_manifests/\(StagingKeys.rangeName(first: first, last: last)).json")
    }

    /// `0000000000-0000000099`: zero-padded so keys list in block order.
    public static func rangeName(first: UInt64, last: UInt64) -> String {
        "\(padded(first))-\(padded(last))"
    }

    static func padded(_ value: UInt64) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, 10 - text.count)) + text
    }

    private func joined(_ rest: String) -> String {
        prefix.isEmpty ? rest : "\(prefix)/\(rest)"
    }
}
