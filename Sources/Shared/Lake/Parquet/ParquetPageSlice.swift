// Which rows and values of a column chunk one data page holds.

/// One data page's share of a column chunk: its rows (nulls included) and, of the stored
/// non-null values, those that fall in those rows.
struct ParquetPageSlice: Equatable {
    var rows: Range<Int>
    var values: Range<Int>
}
