// The JSON shape of an ethereum-etl-airflow table-definition file.

/// The JSON shape of a definition file (`parser.field_mapping` is empty everywhere and unused by
/// ethereum-etl-airflow's SQL, so it is ignored).
struct DecodedTableDefinitionJSON: Decodable {
    struct Parser: Decodable {
        var type: String?
        var contract_address: String?
        var abi: ABIEntryJSON
    }

    struct Table: Decodable {
        var dataset_name: String
        var table_name: String
        var table_description: String?
        var schema: [DecodedTableField]
    }

    var parser: Parser
    var table: Table
}
