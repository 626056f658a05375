// BLOCKFLEET_DATABASE_DIRECT_URL: the connections PgBouncer's transaction mode cannot carry.

import Shared
import Testing

@Suite("Direct database URL")
struct DirectDatabaseTests {
    static let pooled = "postgres://fleet@pgbouncer:6432/blockfleet?sslmode=disable&schema=fleet1"

    @Test("unset: nil, so everything uses the pooled URL")
    func unset() throws {
        let pooled = try DatabaseConfiguration(url: Self.pooled)
        #expect(try DatabaseConfiguration.direct(in: Environment([:]), pooled: pooled) == nil)
    }

    @Test("without a schema it takes the pooled URL's; with the same one it is accepted; its host is its own")
    func schemaFollowsThePooledURL() throws {
        let pooled = try DatabaseConfiguration(url: Self.pooled, setting: "BLOCKFLEET_DATABASE_URL")
        let direct = try #require(try DatabaseConfiguration.direct(
            in: Environment(["BLOCKFLEET_DATABASE_DIRECT_URL": "postgres://fleet@rds:5432/blockfleet?sslmode=disable"]), pooled: pooled))
        #expect(direct.schema == "fleet1" && direct.host == "rds" && direct.port == 5432)
        let same = try DatabaseConfiguration.direct(
            in: Environment(["BLOCKFLEET_DATABASE_DIRECT_URL": "postgres://fleet@rds/blockfleet?sslmode=disable&schema=fleet1"]), pooled: pooled)
        #expect(same?.schema == "fleet1")
    }

    @Test("another schema, or a malformed URL, stops the program naming the setting")
    func refused() throws {
        let pooled = try DatabaseConfiguration(url: Self.pooled, setting: "BLOCKFLEET_DATABASE_URL")
        for url in ["postgres://fleet@rds/blockfleet?schema=fleet2", "mysql://rds/blockfleet"] {
            #expect {
                _ = try DatabaseConfiguration.direct(in: Environment(["BLOCKFLEET_DATABASE_DIRECT_URL": url]), pooled: pooled)
            } throws: { error in
                (error as? ConfigurationError)?.setting == "BLOCKFLEET_DATABASE_DIRECT_URL"
            }
        }
    }
}
