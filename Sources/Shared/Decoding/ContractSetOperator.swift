// How two selects of a contract query combine.

/// How two selects combine. Duplicates do not matter to `address IN (…)`, so both unions give
/// the same set; the distinction is kept for display.
public enum ContractSetOperator: String, Hashable, Sendable {
    case unionAll = "UNION ALL"
    case unionDistinct = "UNION DISTINCT"
    case exceptDistinct = "EXCEPT DISTINCT"
    case intersectDistinct = "INTERSECT DISTINCT"
}
