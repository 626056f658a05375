// The decode stage's Redshift side without a Redshift cluster (none is available here): every
// statement checked as text (sqlglot's Redshift dialect, no Postgres-only syntax, exact forms),
// and the logic that runs in Swift — the JSON lines COPY reads, the 65,535-byte rule, the keys.

import Foundation
import NIOCore
import Testing
@testable import Shared

@Suite("Decode stage on Redshift: SQL as text, rows as JSON lines")
struct RedshiftDecodeSQLTests {
    static let role = "arn:aws:iam::123456789012:role/blockfleet-redshift-copy"
    static let manifest = "s3://staging/eth/_decoded/uniswap.uniswapv2pair_event_swap/0000001000-0000001999/j7-a3.json.gz.copy-manifest.json"

    /// One field of every BigQuery type the stage maps (a RECORD and a REPEATED among them).
    static func everyTypeDefinition() throws -> DecodedTableDefinition {
        let text = #"""
        {"parser": {"type": "log", "contract_address": null, "abi": {"anonymous": false, "name": "AllTypes", "type": "event", "inputs": [
          {"indexed": true, "name": "who", "type": "address"}, {"indexed": false, "name": "small", "type": "uint64"},
          {"indexed": false, "name": "mid", "type": "uint128"}, {"indexed": false, "name": "Big", "type": "uint256"},
          {"indexed": false, "name": "ratio", "type": "int8"}, {"indexed": false, "name": "flag", "type": "bool"},
          {"indexed": false, "name": "at", "type": "uint32"},
          {"indexed": false, "name": "pair", "type": "tuple", "components": [{"name": "x", "type": "uint256"}, {"name": "y", "type": "string"}]},
          {"indexed": false, "name": "ids", "type": "uint256[]"}]}, "field_mapping": {}},
         "table": {"dataset_name": "types", "table_name": "Types_event_AllTypes", "table_description": "", "schema": [
          {"name": "who", "type": "STRING"}, {"name": "small", "type": "INT64"}, {"name": "mid", "type": "NUMERIC"},
          {"name": "Big", "type": "BIGNUMERIC"}, {"name": "ratio", "type": "FLOAT64"}, {"name": "flag", "type": "BOOL"},
          {"name": "at", "type": "TIMESTAMP"},
          {"name": "pair", "type": "RECORD", "fields": [{"name": "x", "type": "STRING"}, {"name": "y", "type": "STRING"}]},
          {"name": "ids", "type": "STRING", "mode": "REPEATED"}]}}
        """#
        return try DecodedTableDefinition(file: "types/Types_event_AllTypes.json", data: Data(text.utf8))
    }

    static func corpus() throws -> [DecodedTableDefinition] {
        let corpus = try DecodedTableCatalog.load(directory: AirflowDefinitions.root)
        return try DecodeStage(definitions: corpus.decodable + [everyTypeDefinition()]).definitions
    }

    @Test("every statement the Redshift decode stage sends, for the 179 corpus definitions and one of every type, parses in sqlglot's Redshift dialect and uses no Postgres-only syntax")
    func everyStatementParses() async throws {
        let definitions = try Self.corpus()
        #expect(definitions.count == 180)
        let statements = try RedshiftDecodeSQL.statements(definitions, schema: "ethereum", manifest: Self.manifest, iamRole: Self.role, region: "eu-west-1")
        #expect(statements.count > 7 * 180)
        let forbidden = ["pg_advisory", "SET LOCAL", "ON CONFLICT", "CREATE INDEX", "NUMERIC(78", "TIMESTAMPTZ", "now()", "::",
                         "= ANY(", "unnest(", " COLLATE ", "JSONB", "RETURNING", "FROM STDIN"]
        for text in statements {
            // Outside quoted literals (an IAM role ARN holds "::").
            let code = text.replacing(#/'[^']*'/#, with: "''").uppercased()
            for construct in forbidden {
                #expect(!code.contains(construct.uppercased()), "uses \(construct): \(text)")
            }
        }
        guard let problems = try await RedshiftDialectTests.parseProblems(statements) else { return }
        #expect(problems.isEmpty, "\(problems.prefix(5))")
    }

    @Test("tables in Redshift types (SUPER for RECORD/REPEATED, VARCHAR for BIGNUMERIC, DECIMAL(38,0) for NUMERIC), sorted and distributed by block; the staging table all text; the INSERT converts each column (JSON_PARSE, a comparison for BOOL)")
    func shapes() throws {
        let definition = try Self.everyTypeDefinition()
        #expect(RedshiftDecodeSQL.createTable(definition) == """
            CREATE TABLE IF NOT EXISTS "types"."types_event_alltypes" (
                "block_timestamp" TIMESTAMP,
                "block_number" BIGINT,
                "transaction_hash" VARCHAR(65535),
                "log_index" BIGINT,
                "contract_address" VARCHAR(65535),
                "who" VARCHAR(65535),
                "small" BIGINT,
                "mid" DECIMAL(38,0),
                "Big" VARCHAR(80),
                "ratio" DOUBLE PRECISION,
                "flag" BOOLEAN,
                "at" TIMESTAMP,
                "pair" SUPER,
                "ids" SUPER
            )
            DISTKEY ("block_number")
            SORTKEY ("block_number")
            """)
        #expect(RedshiftDecodeSQL.createStaging(definition).hasPrefix(#"CREATE TEMP TABLE "blockfleet_decode_staging" ("block_timestamp" VARCHAR(65535), "block_number" VARCHAR(65535), "#))
        #expect(RedshiftDecodeSQL.insertFromStaging(definition) == #"""
            INSERT INTO "types"."types_event_alltypes" ("block_timestamp", "block_number", "transaction_hash", "log_index", "contract_address", "who", "small", "mid", "Big", "ratio", "flag", "at", "pair", "ids") SELECT CAST(s."block_timestamp" AS TIMESTAMP), CAST(s."block_number" AS BIGINT), s."transaction_hash", CAST(s."log_index" AS BIGINT), s."contract_address", s."who", CAST(s."small" AS BIGINT), CAST(s."mid" AS DECIMAL(38,0)), s."Big", CAST(s."ratio" AS DOUBLE PRECISION), (s."flag" = 'true'), CAST(s."at" AS TIMESTAMP), JSON_PARSE(s."pair"), JSON_PARSE(s."ids") FROM "blockfleet_decode_staging" AS s
            """#)
        #expect(try RedshiftDecodeSQL.copy(definition, manifest: Self.manifest, iamRole: Self.role, region: nil) == """
            COPY "blockfleet_decode_staging" ("block_timestamp", "block_number", "transaction_hash", "log_index", "contract_address", "who", "small", "mid", "Big", "ratio", "flag", "at", "pair", "ids") FROM '\(Self.manifest)' IAM_ROLE '\(Self.role)' MANIFEST FORMAT AS JSON 'auto ignorecase' GZIP COMPUPDATE OFF STATUPDATE OFF
            """)
        // A ref()'d column read back as the text Postgres's ::text gives.
        let read = RedshiftDecodeSQL.contractRows(definition, columns: definition.columns.filter { ["pair", "flag", "at", "mid", "who"].contains($0.name) }, last: 7).sql
        #expect(read == #"SELECT DISTINCT t."who" AS "who", CAST(t."mid" AS VARCHAR) AS "mid", CASE WHEN t."flag" THEN 'true' WHEN NOT t."flag" THEN 'false' END AS "flag", TO_CHAR(t."at", 'YYYY-MM-DD HH24:MI:SS') AS "at", JSON_SERIALIZE(t."pair") AS "pair" FROM "types"."types_event_alltypes" AS t WHERE t."block_number" <= $1"#)
        // Lists of bound values instead of arrays; none: no row.
        let logs = RedshiftDecodeSQL.logs(schema: "ethereum", first: 1, last: 2, topic0s: ["0xaa", "0xbb", "0xcc"])
        #expect(logs.sql.contains(#"AND LOWER(SPLIT_PART(l."topics", ',', 1)) IN ($3, $4, $5)"#) && logs.binds.count == 5)
        #expect(RedshiftDecodeSQL.logs(schema: "ethereum", first: 1, last: 2, topic0s: []).sql.contains("AND FALSE"))
        #expect(!RedshiftDecodeSQL.logs(schema: "ethereum", first: 1, last: 2, topic0s: nil).sql.contains(" IN "))
        let forget = RedshiftDecodeSQL.forgetLater(schema: "ethereum", names: ["decode:a.b", "decode:a.c"], after: 99)
        #expect(forget.sql.contains(#""first_block" > $1 AND "model" IN ($2, $3)"#) && forget.binds.count == 3)
        // Counts: delete then insert (no ON CONFLICT).
        let record = RedshiftDecodeSQL.recordCounts(schema: "ethereum", table: "a.b", first: 1, last: 2, decoded: 3, skipped: 4, digest: nil, fingerprint: "f")
        #expect(record.count == 2 && record[0].sql.hasPrefix("DELETE FROM") && record[1].sql.hasPrefix("INSERT INTO") && record[1].binds.count == 7)
        // A schema field a table lacks is added (Redshift reports names lower-cased).
        let missing = DecodeStage.missingColumns(definition, existing: Set(definition.columns.map { $0.name.lowercased() }).subtracting(["big", "ids"]))
        #expect(missing.map(\.name) == ["Big", "ids"])
        #expect(RedshiftDecodeSQL.addColumn(definition, missing[0]) == #"ALTER TABLE "types"."types_event_alltypes" ADD COLUMN "Big" VARCHAR(80)"#)
    }

    @Test("COPY's manifest URL, role and region are literals Redshift cannot bind: anything but plain characters is refused")
    func copyRefusesUnsafeLiterals() throws {
        let definition = try Self.everyTypeDefinition()
        #expect(throws: LoadError.self) { try RedshiftDecodeSQL.copy(definition, manifest: "s3://x/y' CREDENTIALS 'z", iamRole: Self.role, region: nil) }
        #expect(throws: LoadError.self) { try RedshiftDecodeSQL.copy(definition, manifest: "/tmp/x", iamRole: Self.role, region: nil) }
        #expect(throws: LoadError.self) { try RedshiftDecodeSQL.copy(definition, manifest: Self.manifest, iamRole: "arn' x", region: nil) }
        #expect(throws: LoadError.self) { try RedshiftDecodeSQL.copy(definition, manifest: Self.manifest, iamRole: Self.role, region: "eu west") }
    }

    @Test("rows as JSON lines: one object per row keyed by the lower-cased column, every value a JSON string or null, quotes, backslashes, control characters and UTF-8 intact; keeping(_:) filters by contract and keeps the format")
    func jsonLines() throws {
        var rows = DecodedCopyRows(tracksContracts: true, format: .jsonLines(["a", "big", "c"]))
        let tricky = "quote \" backslash \\ tab \t newline \n cr \r bell \u{07} unit \u{1f} é 日本 🚀 {\"json\":[1]}"
        rows.field("0xabc")
        rows.field(tricky)
        rows.field(nil as String?)
        rows.endRow(contract: "0x1")
        rows.field(Int64(-5))
        rows.field("")
        rows.field("[\"1\",\"2\"]")
        rows.endRow(contract: "0x2")
        rows.skip(contract: "0x2")
        #expect(rows.rows == 2 && rows.skipped == 1)
        let lines = String(buffer: rows.buffer).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 3 && lines[2].isEmpty)
        func object(_ line: Substring) throws -> [String: Any] {
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
        let first = try object(lines[0]), second = try object(lines[1])
        #expect(first["a"] as? String == "0xabc" && first["big"] as? String == tricky && first["c"] is NSNull && first.count == 3)
        #expect(second["a"] as? String == "-5" && second["big"] as? String == "" && second["c"] as? String == "[\"1\",\"2\"]")
        #expect(!lines[0].contains("\t") && !lines[0].contains("\u{07}"), "control characters are escaped")
        let kept = rows.keeping(["0x2"])
        #expect(kept.rows == 1 && kept.skipped == 1 && String(buffer: kept.buffer) == lines[1] + "\n")
        if case .jsonLines(let columns) = kept.format { #expect(columns == ["a", "big", "c"]) } else { Issue.record("format lost") }
    }

    @Test("a value over 65,535 bytes (Redshift's VARCHAR, counted in bytes) does not fit: its row is skipped on Redshift")
    func textLimit() {
        let limit = DecodedColumnType.redshiftTextLimit
        #expect(DecodeStage.fitsRedshift(["x", String(repeating: "a", count: limit)]))
        #expect(!DecodeStage.fitsRedshift(["x", String(repeating: "a", count: limit + 1)]))
        // 21,846 three-byte characters: 65,538 bytes, though only 21,846 characters.
        #expect(!DecodeStage.fitsRedshift([String(repeating: "日", count: 21_846)]))
    }

    @Test("staged rows are keyed by dataset.table, range and the model job's attempt, under the staging prefix")
    func keys() throws {
        let definition = try Self.everyTypeDefinition()
        let target = RedshiftDecodeTarget(store: FileStagingStore(root: "/tmp/none"), iamRole: Self.role, region: nil, prefix: "/eth/")
        #expect(target.key(definition, first: 1000, last: 1999, attempt: "j7-a3") == "eth/_decoded/types.types_event_alltypes/0000001000-0000001999/j7-a3.json.gz")
        let bare = RedshiftDecodeTarget(store: FileStagingStore(root: "/tmp/none"), iamRole: Self.role, region: nil, prefix: "")
        #expect(bare.key(definition, first: 0, last: 9, attempt: "j1-a1") == "_decoded/types.types_event_alltypes/0000000000-0000000009/j1-a1.json.gz")
    }
}
