// A view of literal rows (ethereum-etl-airflow's `view_*.sql`) that contract filters may read.

/// `<dataset>/view_X.sql` holding `SELECT * FROM UNNEST([STRUCT('0x…' AS contract_address, 8 AS
/// decimals, …), …])`: a fixed list of rows that definitions of the same dataset read through
/// `ref('view_X')` (chainlink's feeds are listed this way). Its rows are known when the folder is
/// read, so a select over it becomes literal addresses and no decoded table depends on it.
public struct DecodedStaticTable: Hashable, Sendable {
    /// The file, relative to the definitions folder.
    public let file: String
    /// The folder the file sits in (ethereum-etl-airflow creates the view in that dataset).
    public let dataset: String
    /// The file name without `.sql`: the name `ref()` uses.
    public let name: String
    /// Rows as column → text (NULL: key absent).
    public let rows: [[String: String]]

    /// Reads a view file; throws `ContractFilterError` when it is not a literal-rows view.
    public init(file: String, dataset: String, name: String, sql: String) throws {
        var parser = ContractSQLParser(tokens: try ContractSQLToken.tokenize(sql))
        self.rows = try parser.parseStaticRows()
        self.file = file
        self.dataset = dataset
        self.name = name
    }

    /// Every column any row has.
    public var columns: Set<String> {
        rows.reduce(into: Set<String>()) { $0.formUnion($1.keys) }
    }
}
