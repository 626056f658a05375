// DevChainError: every failure devchain reports, each with a stable code.

/// Errors carry a code so scripts and tests can tell them apart without parsing text.
enum DevChainError: Error, Equatable, CustomStringConvertible {
    /// DC001: a request body or fixture file is not valid JSON.
    case jsonParse(String)
    /// DC002: a replay directory is missing, unreadable or holds no recorded responses.
    case replayDirectory(String)
    /// DC003: a recorded fixture file cannot be used.
    case replayFile(path: String, reason: String)
    /// DC004: the configuration is inconsistent (flag combination or value out of range).
    case configuration(String)
    /// DC005: the server could not bind or start.
    case server(String)

    var code: String {
        switch self {
        case .jsonParse: "DC001"
        case .replayDirectory: "DC002"
        case .replayFile: "DC003"
        case .configuration: "DC004"
        case .server: "DC005"
        }
    }

    var description: String {
        switch self {
        case .jsonParse(let m): "\(code) invalid JSON: \(m)"
        case .replayDirectory(let m): "\(code) replay directory: \(m)"
        case .replayFile(let path, let reason): "\(code) replay file \(path): \(reason)"
        case .configuration(let m): "\(code) configuration: \(m)"
        case .server(let m): "\(code) server: \(m)"
        }
    }
}
