// Object keys per (entity, range, attempt): no attempt can overwrite what another one staged.

/// Names staged objects by entity, range and attempt (the export job's id and lease token).
///
/// Each attempt writes keys of its own, so a zombie attempt (one whose lease was taken over but
/// which still runs) can never overwrite the files or the manifest of the attempt that completed:
/// the load jobs name the completing attempt's keys, and only it wrote them. Superseded attempts'
/// objects are left behind; the staging bucket's lifecycle rule expires them with the rest.
public struct StagingKeys: Sendable, Equatable {
    /// One attempt of an export job: the job's id and the lease token of that claim (which every
    /// claim increments, so no two attempts of a job share it).
    public struct Attempt: Sendable, Equatable {
        public let job: Int64
        public let leaseToken: Int64

        public init(job: Int64, leaseToken: Int64) {
            self.job = job
            self.leaseToken = leaseToken
        }

        /// `j12-a3`: the attempt's part of a key.
        public var name: String { "j\(job)-a\(leaseToken)" }
    }

    /// Key prefix without leading or trailing `/` ("" for none).
    public let prefix: String

    public init(prefix: String) {
        var prefix = prefix
        while prefix.hasPrefix("/") { prefix.removeFirst() }
        while prefix.hasSuffix("/") { prefix.removeLast() }
        self.prefix = prefix
    }

    /// `{prefix}/{entity}/{first:010}-{last:010}/j{job}-a{token}.{csv|json}.gz`
    public func file(entity: ExportEntity, first: UInt64, last: UInt64, attempt: Attempt, format: RowFormat) -> String {
        joined("\(entity.rawValue)/\(StagingKeys.rangeName(first: first, last: last))/\(attempt.name).\(format.fileExtension).gz")
    }

    /// `{prefix}/_manifests/{first:010}-{last:010}/j{job}-a{token}.json`, written after every file it lists.
    public func manifest(first: UInt64, last: UInt64, attempt: Attempt) -> String {
        joined("_manifests/\(StagingKeys.rangeName(first: first, last: last))/\(attempt.name).json")
    }

    /// The Redshift COPY manifest of one staged file: `{file key}.copy-manifest.json`. It lists
    /// exactly that object (`mandatory`), so COPY reads it and nothing else (a bare `FROM
    /// 's3://…'` is a prefix and loads every object whose key starts with it).
    public static func copyManifest(file key: String) -> String {
        key + ".copy-manifest.json"
    }

    /// The Redshift COPY manifest of the lake files of one staged file's entity and range:
    /// `{file key}.lake-copy-manifest.json`, under the attempt's keys like the file itself.
    public static func lakeCopyManifest(file key: String) -> String {
        key + ".lake-copy-manifest.json"
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
