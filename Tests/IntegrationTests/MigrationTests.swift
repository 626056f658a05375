// Schema migrations against a real PostgreSQL.

import Foundation
import Logging
import Shared
import Testing

@Suite("Schema migrations")
struct MigrationTests {
    @Test("four processes migrating an empty schema at once all succeed, and it is applied once")
    func concurrentMigrations() async throws {
        try await TestDatabase.with(migrate: false) { (db: TestDatabase) async throws in
            let migrator = SchemaMigrator(client: db.client, logger: db.logger)
            #expect(try await migrator.currentVersion() == nil)
            let applied = try await withThrowingTaskGroup(of: [Int].self) { group in
                for _ in 0..<4 { group.addTask { try await migrator.migrate() } }
                return try await group.reduce(into: [Int]()) { $0 += $1 }
            }
            #expect(applied.sorted() == SchemaMigration.all.map(\.version))
            #expect(try await migrator.currentVersion() == SchemaMigration.all.last?.version)
            try await migrator.requireCurrent()
        }
    }

    @Test("a worker refuses to start on an unmigrated schema, saying what to run")
    func unmigratedSchemaIsReported() async throws {
        try await TestDatabase.with(migrate: false) { (db: TestDatabase) async throws in
            let migrator = SchemaMigrator(client: db.client, logger: db.logger)
            let error = await #expect(throws: QueueError.self) { try await migrator.requireCurrent() }
            #expect(error?.message.contains("coordinator migrate") == true)
        }
    }
}
