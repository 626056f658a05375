// A warehouse model: SQL run per loaded range, after its dependencies, recorded once applied.

import Crypto
import Foundation

/// One model: the built-in enrich tables and the SQL files in the models folder alike.
///
/// A model's statements run in one transaction per block range with `:first_block` and
/// `:last_block` bound, after the models it depends on. It must be idempotent per range (delete
/// what the range produced, insert it again), because a re-loaded range runs it again.
public struct WarehouseModel: Sendable, Equatable {
    public let name: String
    /// Models that must run before this one on the same range.
    public let dependsOn: [String]
    /// Entities whose tables must be loaded for the range; without them the model is skipped.
    public let requires: Set<ExportEntity>
    public let description: String
    /// Statements per dialect; a model may ship a Redshift variant (`NAME.redshift.sql`).
    public let postgres: [ModelStatement]
    public let redshift: [ModelStatement]
    /// Where the model came from: `built-in` or its file.
    public let source: String
    /// Whether its runs on different ranges may overlap: it writes only rows of the range it
    /// runs on (deletes and inserts by block number), so no two ranges touch the same row.
    /// Otherwise (the default: a day's totals are shared by ranges) its runs take the model's
    /// lock and wait for each other. Header `-- concurrent: true`.
    public let concurrent: Bool
    /// SHA-256 of each dialect's statements, computed once: every model job compares it.
    private let postgresFingerprint: String
    private let redshiftFingerprint: String

    public init(name: String, dependsOn: [String] = [], requires: Set<ExportEntity> = [], description: String = "",
                postgres: [ModelStatement], redshift: [ModelStatement]? = nil, source: String, concurrent: Bool = false) {
        self.name = name
        self.dependsOn = dependsOn
        self.requires = requires
        self.description = description
        self.postgres = postgres
        self.redshift = redshift ?? postgres
        self.source = source
        self.concurrent = concurrent
        self.postgresFingerprint = WarehouseModel.fingerprint(of: postgres)
        self.redshiftFingerprint = WarehouseModel.fingerprint(of: self.redshift)
    }

    public func statements(_ dialect: WarehouseConfiguration.Dialect) -> [ModelStatement] {
        dialect == .postgres ? postgres : redshift
    }

    /// SHA-256 of the dialect's statements: a changed model runs again on every range it meets.
    public func fingerprint(_ dialect: WarehouseConfiguration.Dialect) -> String {
        dialect == .postgres ? postgresFingerprint : redshiftFingerprint
    }

    static func fingerprint(of statements: [ModelStatement]) -> String {
        var hasher = SHA256()
        for statement in statements {
            hasher.update(data: Data(statement.text.utf8))
            hasher.update(data: Data([0]))
            hasher.update(data: Data(statement.parameters.map(\.rawValue).joined(separator: ",").utf8))
            hasher.update(data: Data([0]))
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// Reads a model file. Its header comments declare it:
    ///
    ///     -- depends_on: enriched_transactions, other_model
    ///     -- requires: blocks, traces
    ///     -- description: what the table holds
    ///     -- concurrent: true        (rows per range only: runs on other ranges need not wait)
    ///
    /// The name is the file name without `.sql`; `NAME.redshift.sql` beside it, when present,
    /// is its Redshift text (same header).
    public static func parse(name: String, postgresText: String, redshiftText: String?, source: String) throws(ModelError) -> WarehouseModel {
        guard DatabaseConfiguration.isIdentifier(name) else {
            throw ModelError(.invalidModel, "\(source): the model name '\(name)' must be a lower-case identifier ([a-z_][a-z0-9_]*)")
        }
        let header = try Header(postgresText, source: source)
        if let redshiftText {
            let other = try Header(redshiftText, source: source.replacingOccurrences(of: ".sql", with: ".redshift.sql"))
            guard other == header else {
                throw ModelError(.invalidModel, "\(source): its .redshift.sql variant declares other depends_on/requires")
            }
        }
        let postgres = try ModelStatement.parseScript(postgresText, source: source)
        guard !postgres.isEmpty else { throw ModelError(.invalidModel, "\(source): no SQL statement") }
        let redshift = try redshiftText.map { text throws(ModelError) in try ModelStatement.parseScript(text, source: source) }
        return WarehouseModel(
            name: name, dependsOn: header.dependsOn, requires: header.requires, description: header.description,
            postgres: postgres, redshift: redshift, source: source, concurrent: header.concurrent
        )
    }

    struct Header: Equatable {
        var dependsOn: [String] = []
        var requires: Set<ExportEntity> = []
        var description = ""
        var concurrent = false

        init(_ text: String, source: String) throws(ModelError) {
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty { continue }
                guard trimmed.hasPrefix("--") else { break }
                let body = trimmed.dropFirst(2).trimmingCharacters(in: .whitespaces)
                guard let colon = body.firstIndex(of: ":") else { continue }
                let key = body[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
                let value = body[body.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                let items = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                switch key {
                case "depends_on":
                    dependsOn += items
                case "requires":
                    for item in items {
                        guard let entity = ExportEntity(rawValue: item) else {
                            throw ModelError(.invalidModel, "\(source): requires names '\(item)', which is not an entity (\(ExportEntity.allCases.map(\.rawValue).joined(separator: ", ")))")
                        }
                        requires.insert(entity)
                    }
                case "description":
                    description = value
                case "concurrent":
                    switch value.lowercased() {
                    case "true", "yes": concurrent = true
                    case "false", "no": concurrent = false
                    default: throw ModelError(.invalidModel, "\(source): concurrent must be true or false, got '\(value)'")
                    }
                default:
                    continue
                }
            }
        }
    }
}
