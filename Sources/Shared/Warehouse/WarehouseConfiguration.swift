// Where loaders put the rows: a Postgres database (local default) or Redshift.

/// Settings of the warehouse loaders write to.
public struct WarehouseConfiguration: Sendable {
    public enum Dialect: String, Sendable {
        case postgres
        case redshift
    }

    /// What a Redshift load COPYs: the staged gzip CSV, or the range's Parquet files in the lake.
    public enum CopySource: String, Sendable, CaseIterable {
        case staging
        case lake
    }

    public var dialect: Dialect
    /// Connection settings; Redshift speaks the Postgres protocol.
    public var database: DatabaseConfiguration
    /// Schema holding the ethereum-etl tables. Default `ethereum` (`BLOCKFLEET_WAREHOUSE_SCHEMA`).
    public var schema: String
    /// Role Redshift assumes to read the staging bucket (`BLOCKFLEET_REDSHIFT_IAM_ROLE`); required for Redshift.
    public var iamRole: String?
    /// Region of the staging bucket when it differs from the cluster's (`BLOCKFLEET_REDSHIFT_REGION`).
    public var copyRegion: String?
    /// Where the model stage connects (`BLOCKFLEET_MODEL_WAREHOUSE_URL`): a login granted only
    /// `blockfleet_model`, so model SQL (user files) runs without the loader's or the queue's
    /// privileges. Nil (the default): the model stage uses `database`.
    public var modelDatabase: DatabaseConfiguration?
    /// What Redshift's COPY reads (`BLOCKFLEET_REDSHIFT_COPY_FROM`): `staging` (the default, gzip
    /// CSV) or `lake` (the export's Parquet files, `FORMAT AS PARQUET`; needs an S3 lake).
    public var copyFrom: CopySource = .staging
    /// The Redshift Spectrum external schema over the lake (`BLOCKFLEET_REDSHIFT_SPECTRUM_SCHEMA`,
    /// e.g. `blockfleet_lake`, as `coordinator lake ddl --dialect spectrum` creates it). When set,
    /// each load registers the lake's `block_date` partitions its range's files are in
    /// (`ALTER TABLE … ADD IF NOT EXISTS PARTITION`), so Spectrum sees new days with no one
    /// adding them. Default nil: no partitions are added (Athena needs none: it projects them).
    public var spectrumSchema: String?

    public init(dialect: Dialect, database: DatabaseConfiguration, schema: String = "ethereum", iamRole: String? = nil, copyRegion: String? = nil) {
        self.dialect = dialect
        self.database = database
        self.schema = schema
        self.iamRole = iamRole
        self.copyRegion = copyRegion
    }

    /// Reads `BLOCKFLEET_WAREHOUSE_URL` (`postgres://…` or `redshift://…`); without it the queue
    /// database is the warehouse, which is what a single-machine setup wants.
    public init(environment: Environment, queueDatabase: DatabaseConfiguration) throws(ConfigurationError) {
        let setting = "BLOCKFLEET_WAREHOUSE_URL"
        if let text = environment.string(setting) {
            if text.hasPrefix("redshift://") {
                var database = try DatabaseConfiguration(url: "postgres://" + text.dropFirst("redshift://".count), setting: setting)
                // Redshift clusters take TLS; plain text only when the URL asks for it.
                if !text.contains("sslmode=") { database.sslMode = .require }
                if WarehouseConfiguration.hasNoPort(text) { database.port = 5439 }
                self.init(dialect: .redshift, database: database)
            } else {
                self.init(dialect: .postgres, database: try DatabaseConfiguration(url: text, setting: setting))
            }
        } else {
            var database = queueDatabase
            database.schema = nil
            self.init(dialect: .postgres, database: database)
        }
        database.applicationName = "blockfleet-loader"
        if let schema = environment.string("BLOCKFLEET_WAREHOUSE_SCHEMA") {
            guard DatabaseConfiguration.isIdentifier(schema) else {
                throw ConfigurationError(.invalidValue, setting: "BLOCKFLEET_WAREHOUSE_SCHEMA", "'\(schema)' must be a lower-case identifier ([a-z_][a-z0-9_]*)")
            }
            self.schema = schema
        }
        if let text = environment.string("BLOCKFLEET_MODEL_WAREHOUSE_URL") {
            let setting = "BLOCKFLEET_MODEL_WAREHOUSE_URL"
            var model = try DatabaseConfiguration(url: text.hasPrefix("redshift://") ? "postgres://" + text.dropFirst("redshift://".count) : text, setting: setting)
            guard text.hasPrefix("redshift://") == (dialect == .redshift) else {
                throw ConfigurationError(.invalidValue, setting: setting, "must name the same kind of warehouse as BLOCKFLEET_WAREHOUSE_URL (\(dialect.rawValue))")
            }
            if dialect == .redshift {
                if !text.contains("sslmode=") { model.sslMode = .require }
                if WarehouseConfiguration.hasNoPort(text) { model.port = 5439 }
            }
            model.applicationName = "blockfleet-model"
            modelDatabase = model
        }
        iamRole = environment.string("BLOCKFLEET_REDSHIFT_IAM_ROLE")
        copyRegion = environment.string("BLOCKFLEET_REDSHIFT_REGION")
        if dialect == .redshift {
            guard let iamRole else {
                throw ConfigurationError(.missing, setting: "BLOCKFLEET_REDSHIFT_IAM_ROLE", "a Redshift warehouse needs the ARN of a role allowed to read the staging bucket")
            }
            guard RedshiftSQL.isSafeLiteral(iamRole), iamRole.hasPrefix("arn:") else {
                throw ConfigurationError(.invalidValue, setting: "BLOCKFLEET_REDSHIFT_IAM_ROLE", "'\(iamRole)' is not an IAM role ARN")
            }
            if let copyRegion, !RedshiftSQL.isSafeLiteral(copyRegion) {
                throw ConfigurationError(.invalidValue, setting: "BLOCKFLEET_REDSHIFT_REGION", "'\(copyRegion)' is not a region name")
            }
        }
        if let schema = environment.string("BLOCKFLEET_REDSHIFT_SPECTRUM_SCHEMA") {
            guard dialect == .redshift else {
                throw ConfigurationError(.invalidValue, setting: "BLOCKFLEET_REDSHIFT_SPECTRUM_SCHEMA", "Spectrum partitions are for a Redshift warehouse")
            }
            guard DatabaseConfiguration.isIdentifier(schema) else {
                throw ConfigurationError(.invalidValue, setting: "BLOCKFLEET_REDSHIFT_SPECTRUM_SCHEMA", "'\(schema)' must be a lower-case identifier ([a-z_][a-z0-9_]*)")
            }
            spectrumSchema = schema
        }
        if let text = environment.string("BLOCKFLEET_REDSHIFT_COPY_FROM") {
            guard let source = CopySource(rawValue: text.lowercased()) else {
                throw ConfigurationError(.invalidValue, setting: "BLOCKFLEET_REDSHIFT_COPY_FROM", "'\(text)' is not one of \(CopySource.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard source == .staging || dialect == .redshift else {
                throw ConfigurationError(.invalidValue, setting: "BLOCKFLEET_REDSHIFT_COPY_FROM", "'lake' is for a Redshift warehouse; the Postgres warehouse loads the staged files")
            }
            copyFrom = source
        }
    }

    static func hasNoPort(_ url: String) -> Bool {
        let rest = url.dropFirst("redshift://".count)
        let authority = rest.split(separator: "/", maxSplits: 1).first.map(String.init) ?? ""
        let hostPart = authority.split(separator: "@").last.map(String.init) ?? authority
        return !hostPart.contains(":")
    }
}
