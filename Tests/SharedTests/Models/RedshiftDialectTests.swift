// No Redshift cluster is available here, so every Redshift statement of the model stage is
// checked as text: parsed by sqlglot's Redshift dialect and searched for Postgres-only syntax.

import Foundation
import Shared
import Testing

@Suite("Model SQL in the Redshift dialect")
struct RedshiftDialectTests {
    /// Every statement a Redshift model run can send: the runner's own, the checks, every model.
    static func statements() throws -> [(source: String, text: String)] {
        let catalog = try ModelCatalog.load(directory: ModelCatalogTests.shipped)
        var all: [(String, String)] = ModelSQL.begin(.redshift, schema: "ethereum").map { ("runner", $0) }
        all += [ModelSQL.createRuns(.redshift, schema: "ethereum"), ModelSQL.applied(schema: "ethereum"), ModelSQL.forget(schema: "ethereum"),
                ModelSQL.record(schema: "ethereum"), ModelSQL.invalidate(schema: "ethereum")].map { ("runner", $0) }
        all += VerifyCheck.all.map { ("check \($0.name)", $0.statement.text) }
        for model in catalog.models {
            all += model.statements(.redshift).map { ("model \(model.name)", $0.text) }
        }
        return all
    }

    @Test("no Postgres-only syntax: advisory locks, SET LOCAL, ON CONFLICT, indexes, NUMERIC(78), TIMESTAMPTZ, :: casts")
    func noPostgresOnlySyntax() throws {
        let forbidden = ["pg_advisory", "SET LOCAL", "ON CONFLICT", "CREATE INDEX", "NUMERIC(78", "TIMESTAMPTZ", "now()", "::",
                         "to_timestamp", "RETURNING", "jsonb", "GENERATED", "SERIAL"]
        let statements = try Self.statements()
        #expect(statements.count > 30)
        for (source, text) in statements {
            for construct in forbidden {
                #expect(!text.uppercased().contains(construct.uppercased()), "\(source) uses \(construct): \(text)")
            }
        }
    }

    @Test("Redshift tables get distribution and sort keys; the runner serialises on the runs table's lock")
    func redshiftShapes() throws {
        for model in EnrichModels.all {
            let create = try #require(model.statements(.redshift).first?.text)
            #expect(create.contains("DISTKEY (\"block_number\")") && create.contains("SORTKEY (\"block_number\")"), "\(model.name)")
            #expect(!model.statements(.redshift).contains { $0.text.contains("CREATE INDEX") })
        }
        #expect(ModelSQL.begin(.redshift, schema: "ethereum") == ["SET search_path TO \"ethereum\"", "LOCK \"ethereum\".\"blockfleet_model_runs\""])
    }

    /// sqlglot's verdict on each text, or nil (and a recorded issue) when it is not installed.
    static func parseProblems(_ texts: [String]) async throws -> [[String: String]]? {
        guard let output = try await SQLGlotScript.run("redshift_parse.py", input: texts) else { return nil }
        return try #require(output as? [[String: String]])
    }

    @Test("every statement parses in sqlglot's Redshift dialect")
    func parses() async throws {
        // sqlglot does not know LOCK; its form is checked exactly above.
        let texts = try Self.statements().map(\.text).filter { !$0.hasPrefix("LOCK ") }
        guard let problems = try await Self.parseProblems(texts) else { return }
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test("the parser check can fail: Postgres-only and broken text is refused")
    func parserRefusesPostgresOnlyText() async throws {
        guard let problems = try await Self.parseProblems(["INSERT INTO t VALUES (1) ON CONFLICT (a) DO NOTHING RETURNING", "SELECT FROM WHERE"]) else { return }
        #expect(problems.count == 2)
    }
}
