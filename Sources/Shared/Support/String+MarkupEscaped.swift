// Escaping text for XML and HTML, shared by the S3 request bodies and the status page.

extension String {
    /// The text with `& < > " '` replaced by character references, safe in an element body or a
    /// quoted attribute of XML and HTML alike (`&#39;` rather than `&apos;`, which HTML 4 lacks).
    var markupEscaped: String {
        var out = ""
        out.reserveCapacity(utf8.count)
        for character in self {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
