// Where traces come from and how token metadata is read; every field has a documented default.

/// Settings of the trace, contract and token export. Environment variables set them; flags override.
public struct TraceConfiguration: Sendable, Equatable {
    /// Which trace API to use.
    public enum Source: String, Sendable, CaseIterable {
        /// Probe once: parity's `trace_block` (what ethereum-etl's stream uses), and geth's
        /// `debug_traceBlockByNumber` if the node answers "method not found".
        case auto
        /// geth's `debug_traceBlockByNumber` with `callTracer`.
        case geth
        /// `trace_block` (Erigon, Nethermind, Reth).
        case parity
    }

    /// Which block token metadata calls read.
    public enum TokenCallBlock: String, Sendable, CaseIterable {
        /// `latest`, as ethereum-etl does.
        case latest
        /// The block the contract was created in: the same answer on every run (archive nodes).
        case created
    }

    /// Default `.auto` (`BLOCKFLEET_TRACE_SOURCE`, `--trace-source`).
    public var source: Source
    /// Default `.complete` (`BLOCKFLEET_GETH_TRACE_STYLE`): geth rows get transaction hash,
    /// status and trace id; `ethereum-etl` leaves them empty as its `extract_geth_traces` does.
    public var gethStyle: TraceRecord.GethStyle
    /// Default `.latest` (`BLOCKFLEET_TOKEN_CALL_BLOCK`, `--token-call-block`).
    public var tokenCallBlock: TokenCallBlock

    public init(source: Source = .auto, gethStyle: TraceRecord.GethStyle = .complete, tokenCallBlock: TokenCallBlock = .latest) {
        self.source = source
        self.gethStyle = gethStyle
        self.tokenCallBlock = tokenCallBlock
    }

    public init(environment: Environment) throws(ConfigurationError) {
        self.init()
        source = try Self.parse(environment.string("BLOCKFLEET_TRACE_SOURCE"), setting: environment.setting("BLOCKFLEET_TRACE_SOURCE")) ?? source
        gethStyle = try Self.parse(environment.string("BLOCKFLEET_GETH_TRACE_STYLE"), setting: "BLOCKFLEET_GETH_TRACE_STYLE") ?? gethStyle
        tokenCallBlock = try Self.parse(environment.string("BLOCKFLEET_TOKEN_CALL_BLOCK"), setting: environment.setting("BLOCKFLEET_TOKEN_CALL_BLOCK")) ?? tokenCallBlock
    }

    /// One of a setting's values, or an error listing them; nil for nil.
    public static func parse<T: RawRepresentable & CaseIterable>(_ text: String?, setting: String) throws(ConfigurationError) -> T? where T.RawValue == String {
        guard let text else { return nil }
        guard let value = T(rawValue: text.lowercased()) else {
            throw ConfigurationError(.invalidValue, setting: setting, "'\(text)' is not one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }
}
