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
}
