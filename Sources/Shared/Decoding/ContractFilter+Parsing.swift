// Reading a definition's contract_address: null, an address, an UNNEST list, or SQL over ref().

import Foundation

extension ContractFilter {
    /// Parses `contract_address` as ethereum-etl-airflow reads it: null is every contract; text
    /// starting with `0x` is one address; anything else is BigQuery SQL, of which this accepts
    /// `SELECT * FROM UNNEST(['0x…', …])`, `SELECT 'literal'`, and `SELECT [DISTINCT] column
    /// [AS alias] FROM ref('Table') [AS alias] [WHERE …] [GROUP BY column]`, combined with `UNION
    /// ALL`, `UNION DISTINCT`, `EXCEPT DISTINCT`, `INTERSECT DISTINCT`, in any parentheses;
    /// keywords in any case, strings in either quote. WHERE takes comparisons of a column (or
    /// `LOWER(column)`) with a literal, `IN (…)`, `IS [NOT] NULL`, `AND`, `OR`, `NOT`. Anything
    /// else throws `ContractFilterError` naming what was not understood.
    public init(parsing text: String?) throws {
        guard let text else {
            self = .all
            return
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("0x") || trimmed.hasPrefix("0X") {
            self = .addresses([try Self.address(trimmed)])
            return
        }
        var parser = ContractSQLParser(tokens: try ContractSQLToken.tokenize(trimmed))
        self = try parser.parseFilter()
    }

    /// A lower-cased address, or an error naming the text.
    static func address(_ text: String) throws -> String {
        let lower = text.lowercased()
        guard lower.utf8.count == 42, lower.hasPrefix("0x"), lower.utf8.dropFirst(2).allSatisfy({ ABIHex.value($0) != nil }) else {
            throw ContractFilterError(.invalidAddress, "'\(text)' is not an address (0x and 40 hex digits)")
        }
        return lower
    }
}
