/// Escaping of untrusted text (account ids, profile values, evidence) for
/// HTML text and attribute values, so that the output is also well-formed XML.
///
/// `&`, `<`, `>`, `"` and `'` become character references, and control
/// characters XML does not allow (U+0000–U+001F other than tab, line feed and
/// carriage return) become U+FFFD.
enum HTMLEscaping {
  /// Appends `text`, escaped, to `out`.
  static func append(_ text: some StringProtocol, to out: inout String) {
    var clean = true
    for byte in text.utf8 where byte < 0x20 || byte == 0x26 || byte == 0x3C || byte == 0x3E || byte == 0x22 || byte == 0x27 {
      clean = false
      break
    }
    if clean {
      out += text
      return
    }
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
      default:
        if scalar.value < 0x20 { out += "\u{FFFD}" } else { out.unicodeScalars.append(scalar) }
      }
    }
  }

  /// `text`, escaped.
  static func escaped(_ text: some StringProtocol) -> String {
    var out = ""
    append(text, to: &out)
    return out
  }

  /// `text` cut to at most `limit` characters, with `…` when cut.
  static func truncated(_ text: String, _ limit: Int) -> String {
    text.count <= limit ? text : String(text.prefix(max(limit - 1, 1))) + "…"
  }
}
