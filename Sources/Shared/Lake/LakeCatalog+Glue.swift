// The Glue tables as JSON, for Terraform's lake module (terraform/modules/lake-catalog/tables.json).

import Foundation

extension LakeCatalog {
    /// Glue's type of a Parquet column (Hive's, lower case, as Glue stores them).
    public static func glueType(_ type: ParquetColumnType) -> String {
        hiveType(type).lowercased()
    }

    /// `{"partition_keys": [{"name": "block_date", "type": "date"}], "projection": {parameter:
    /// value}, "tables": {entity: {"columns": [{"name", "type"}…]}}}`: the columns of every
    /// entity in file order, and Athena's projection parameters with `{folder}` standing for the
    /// table's `s3://…/entity/` (the same parameters as Athena's DDL). Terraform
    /// cannot run the coordinator, so the output is committed (tables.json) and a test checks the
    /// committed file equals what this prints now. Stable text: sorted keys, arrays in order.
    public static func glueTables() -> String {
        struct Column: Encodable { let name: String; let type: String }
        struct Table: Encodable { let columns: [Column] }
        struct Document: Encodable {
            let generatedBy: String
            let partitionKeys: [Column]
            let projection: [String: String]
            let tables: [String: Table]
            enum CodingKeys: String, CodingKey { case generatedBy = "generated_by", partitionKeys = "partition_keys", projection, tables }
        }
        var tables: [String: Table] = [:]
        for entity in ExportEntity.allCases {
            tables[entity.rawValue] = Table(columns: columns(of: entity).map { Column(name: $0.name, type: glueType($0.type)) })
        }
        var projection: [String: String] = [:]
        for (key, value) in projectionProperties(folder: "{folder}", start: mainnetGenesis) { projection[key] = value }
        let document = Document(generatedBy: "coordinator lake ddl --dialect glue", partitionKeys: [Column(name: partitionColumn, type: "date")],
                                projection: projection, tables: tables)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        // Encoding strings and arrays of them cannot fail.
        return String(decoding: try! encoder.encode(document), as: UTF8.self) + "\n"
    }
}
