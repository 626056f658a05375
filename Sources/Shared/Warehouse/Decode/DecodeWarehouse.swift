// Which warehouse the decode stage writes, and what writing Redshift needs.

/// The decode stage's warehouse. Postgres: rows go in by `COPY … FROM STDIN`. Redshift: rows are
/// staged to S3 and COPYed from there (`RedshiftDecodeTarget`), since Redshift has no COPY from
/// the client.
public enum DecodeWarehouse: Sendable {
    case postgres
    case redshift(RedshiftDecodeTarget)

    var redshift: RedshiftDecodeTarget? {
        if case .redshift(let target) = self { return target }
        return nil
    }
}
