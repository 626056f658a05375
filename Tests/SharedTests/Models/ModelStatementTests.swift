// Model scripts split into statements with the range bound, never pasted.

import Shared
import Testing

@Suite("Model SQL statements")
struct ModelStatementTests {
    @Test("placeholders become numbered parameters in order of first use, reused when repeated")
    func placeholders() throws {
        let statements = try ModelStatement.parseScript("""
            DELETE FROM t WHERE b BETWEEN :first_block AND :last_block;
            INSERT INTO t SELECT * FROM s WHERE b <= :last_block AND b >= :first_block AND c <= :last_block
            """, source: "test")
        #expect(statements.count == 2)
        #expect(statements[0].text == "DELETE FROM t WHERE b BETWEEN $1 AND $2")
        #expect(statements[0].parameters == [.firstBlock, .lastBlock])
        #expect(statements[1].text.hasSuffix("WHERE b <= $1 AND b >= $2 AND c <= $1"))
        #expect(statements[1].parameters == [.lastBlock, .firstBlock])
    }

    @Test("quotes, quoted identifiers, comments, dollar bodies and casts are left alone")
    func leavesLiteralsAlone() throws {
        let statements = try ModelStatement.parseScript("""
            -- a comment; with :first_block
            SELECT 'it''s; :first_block', "odd;name", x::bigint, $$ body; :last_block $$ /* c; :x */ FROM t WHERE n = :first_block;
            ;
            """, source: "test")
        #expect(statements.count == 1)
        let statement = try #require(statements.first)
        #expect(statement.parameters == [.firstBlock])
        #expect(statement.text.contains("'it''s; :first_block'") && statement.text.contains("\"odd;name\"") && statement.text.contains("x::bigint"))
        #expect(statement.text.contains("$$ body; :last_block $$") && statement.text.hasSuffix("WHERE n = $1"))
    }

    @Test("bad scripts are refused naming the file and what is wrong")
    func refusesBadScripts() throws {
        #expect(throws: ModelError.self) { try ModelStatement.parseScript("SELECT :first_blok", source: "m.sql") }
        #expect(throws: ModelError.self) { try ModelStatement.parseScript("SELECT $1", source: "m.sql") }
        #expect(throws: ModelError.self) { try ModelStatement.parseScript("SELECT 'open", source: "m.sql") }
        #expect(throws: ModelError.self) { try ModelStatement.parseScript("SELECT 1 /* open", source: "m.sql") }
        do {
            _ = try ModelStatement.parseScript("SELECT :first_blok", source: "m.sql")
        } catch {
            #expect(error.message.contains("m.sql") && error.message.contains(":first_blok"))
        }
    }

    @Test("E'…' strings with backslash escapes and nested comments do not split a statement")
    func escapeStringsAndNestedComments() throws {
        let statements = try ModelStatement.parseScript("""
            SELECT E'it\\'s; :first_block', e'a\\\\', 'b' FROM t WHERE n = :first_block;
            /* outer /* inner; */ still a comment; :last_block */ SELECT one_e'x' FROM u WHERE m = :last_block
            """, source: "test")
        #expect(statements.count == 2)
        #expect(statements[0].text == #"SELECT E'it\'s; :first_block', e'a\\', 'b' FROM t WHERE n = $1"#)
        #expect(statements[0].parameters == [.firstBlock])
        #expect(statements[1].text.hasSuffix("SELECT one_e'x' FROM u WHERE m = $1"))
        #expect(statements[1].parameters == [.lastBlock])
    }

    @Test("a backslash before a quote in a plain string is refused as reading differently per dialect")
    func refusesAmbiguousBackslash() {
        #expect {
            try ModelStatement.parseScript("SELECT 1;\nSELECT 'a\\'; SELECT 2", source: "m.sql")
        } throws: { error in
            let message = (error as? ModelError)?.message ?? ""
            return message.hasPrefix("m.sql:2:") && message.contains("E'")
        }
    }

    @Test("transaction control and role changes are refused naming the file and line")
    func refusesTransactionControlAndRoles() throws {
        let refused = [
            "BEGIN", "begin transaction", "START TRANSACTION", "COMMIT", "commit work", "END", "ROLLBACK",
            "ABORT", "SAVEPOINT s", "RELEASE SAVEPOINT s", "ROLLBACK TO SAVEPOINT s", "PREPARE TRANSACTION 'x'",
            "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE", "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY",
            "SET ROLE blockfleet_queue", "set local role postgres", "SET SESSION ROLE x", "SET SESSION AUTHORIZATION x",
            "RESET ROLE", "RESET SESSION AUTHORIZATION", "RESET ALL",
        ]
        for statement in refused {
            #expect {
                try ModelStatement.parseScript("DELETE FROM t WHERE b >= :first_block;\n-- note\n/* c */ \(statement);\nSELECT 1", source: "models/m.sql")
            } throws: { error in
                let message = (error as? ModelError)?.message ?? ""
                return message.hasPrefix("models/m.sql:3:") && (message.contains("transaction") || message.contains("role"))
            }
        }
        // Look-alikes that are not transaction control or role changes pass.
        let allowed = try ModelStatement.parseScript("""
            SET LOCAL statement_timeout = '5min';
            PREPARE q AS SELECT 1;
            DO $$ BEGIN PERFORM 1; END $$;
            SELECT 'COMMIT; BEGIN' AS begin_at /* ; ROLLBACK */;
            -- COMMIT;
            INSERT INTO t SELECT "end" FROM s
            """, source: "m.sql")
        #expect(allowed.count == 5)
    }

    @Test("the relation a CREATE … IF NOT EXISTS statement makes is found, quoted or not; other statements name none")
    func createdRelation() throws {
        func relation(_ sql: String) throws -> String? { try ModelStatement.parseScript(sql, source: "m.sql").first?.createdRelation }
        #expect(try relation("CREATE TABLE IF NOT EXISTS daily (day DATE)") == "daily")
        #expect(try relation("-- the table\ncreate table if not exists s.\"My \"\"T\"\"\" (a INT)") == "s.\"My \"\"T\"\"\"")
        #expect(try relation("CREATE INDEX IF NOT EXISTS \"d_idx\" ON \"daily\" (\"day\")") == "\"d_idx\"")
        #expect(try relation("CREATE UNIQUE INDEX IF NOT EXISTS d_key ON daily (day)") == "d_key")
        for other in ["CREATE TABLE daily (day DATE)", "CREATE TEMP TABLE IF NOT EXISTS t (a INT)", "CREATE INDEX ON daily (day)",
                      "CREATE INDEX IF NOT EXISTS d_idx daily", "INSERT INTO daily SELECT 1", "CREATE VIEW IF NOT EXISTS v AS SELECT 1"] {
            #expect(try relation(other) == nil, "\(other)")
        }
        let enrich = EnrichModels.all[0].statements(.postgres).compactMap(\.createdRelation)
        #expect(enrich == ["\"enriched_transactions\"", "\"enriched_transactions_block_number_idx\"", "\"enriched_transactions_block_timestamp_idx\""])
    }
}
