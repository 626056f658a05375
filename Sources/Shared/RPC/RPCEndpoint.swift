// One JSON-RPC node URL, with a name that is safe to log.

import Foundation

/// A node's URL. Hosted nodes put API keys in the path or user info, so logs and metrics use
/// `name` (scheme, host and port only), never the URL itself.
public struct RPCEndpoint: Sendable, Hashable, CustomStringConvertible {
    public let url: URL
    public let name: String

    public init(_ text: String, setting: String = "BLOCKFLEET_RPC_URLS") throws(ConfigurationError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty,
              let url = components.url
        else {
            throw ConfigurationError(.invalidURL, setting: setting, "'\(RPCEndpoint.redact(text))' is not an http(s) node URL")
        }
        self.url = url
        let port = components.port.map { ":\($0)" } ?? ""
        let hasSecret = !(components.path.isEmpty || components.path == "/") || components.user != nil || components.query != nil
        self.name = "\(scheme)://\(host)\(port)\(hasSecret ? "/…" : "")"
    }

    /// Parses a comma-separated list of node URLs.
    public static func parseList(_ text: String, setting: String = "BLOCKFLEET_RPC_URLS") throws(ConfigurationError) -> [RPCEndpoint] {
        let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !parts.isEmpty else { throw ConfigurationError(.missing, setting: setting, "no node URL given") }
        var endpoints: [RPCEndpoint] = []
        for part in parts { endpoints.append(try RPCEndpoint(part, setting: setting)) }
        return endpoints
    }

    public var description: String { name }

    /// A URL's text cut to scheme and host, for error messages.
    static func redact(_ text: String) -> String {
        guard let components = URLComponents(string: text), let host = components.host else { return "<unparseable URL>" }
        return "\(components.scheme ?? "?")://\(host)…"
    }
}
