// The queue database reached directly, for what a transaction-pooling PgBouncer cannot carry.

extension DatabaseConfiguration {
    /// `BLOCKFLEET_DATABASE_DIRECT_URL`, for the connections that keep session state: a worker's
    /// LISTEN, the coordinator's leader lock (a session advisory lock) and `coordinator migrate`.
    /// Nil when unset: they use `pooled` like everything else. Its schema must be `pooled`'s (the
    /// NOTIFY channel and the leader lock are named after it); without one it takes `pooled`'s.
    public static func direct(in environment: Environment, pooled: DatabaseConfiguration) throws(ConfigurationError) -> DatabaseConfiguration? {
        let setting = "BLOCKFLEET_DATABASE_DIRECT_URL"
        guard let url = environment.string(setting) else { return nil }
        var direct = try DatabaseConfiguration(url: url, setting: setting)
        if direct.schema == nil { direct.schema = pooled.schema }
        guard direct.schema == pooled.schema else {
            throw ConfigurationError(.invalidURL, setting: setting,
                "names schema '\(direct.schema ?? "")' but BLOCKFLEET_DATABASE_URL names '\(pooled.schema ?? "")': both must name the same one")
        }
        direct.applicationName = pooled.applicationName
        _ = try direct.clientConfiguration()
        return direct
    }
}
