import AnomalyDetect
import SignalGraph

/// Escaping of untrusted text (account ids, profile values, evidence) for
/// HTML text and attribute values, so that the output is also well-formed XML.
///
/// `&`, `<`, `>`, `"` and `'` become character references, and control
/// characters XML does not allow (U+0000–U+001F other than tab, line feed and
/// carriage return) become U+FFFD.
///
/// Characters a reader cannot see are written as visible escapes such as
/// `\u{202E}`: bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E,
/// U+200F, U+061C), zero-width and other format characters (U+200B–U+200D,
/// U+2060–U+2064, U+FEFF, U+00AD), every other default-ignorable code point,
/// C1 controls and line or paragraph separators. So a right-to-left override
/// cannot reverse the text after it, and two ids differing only by an
/// invisible character never look the same.
enum HTMLEscaping {
  /// Appends `text`, escaped, to `out`: safe in element text and in
  /// attribute values alike.
  static func append(_ text: some StringProtocol, to out: inout String) {
    append(text, to: &out, markingInvisible: false)
  }

  /// Appends `text`, escaped, inside `<bdi>`, for an id or a value in element
  /// text: its direction cannot spill onto the text around it, and each
  /// invisible character is shown as a marked `<span class="cc">` escape.
  static func appendIsolated(_ text: some StringProtocol, to out: inout String) {
    out += "<bdi>"
    append(text, to: &out, markingInvisible: true)
    out += "</bdi>"
  }

  /// `text`, escaped.
  static func escaped(_ text: some StringProtocol) -> String {
    var out = ""
    append(text, to: &out)
    return out
  }

  /// `text`, escaped and isolated (see ``appendIsolated(_:to:)``).
  static func isolated(_ text: some StringProtocol) -> String {
    var out = ""
    appendIsolated(text, to: &out)
    return out
  }

  /// `text` cut to at most `limit` characters, with `…` when cut.
  static func truncated(_ text: String, _ limit: Int) -> String {
    text.count <= limit ? text : String(text.prefix(max(limit - 1, 1))) + "…"
  }

  /// Whether `scalar` is one a reader cannot see, or one that changes the
  /// direction or joining of the text around it.
  static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
    if scalar.value < 0xA0 { return scalar.value >= 0x7F }
    let properties = scalar.properties
    switch properties.generalCategory {
    case .format, .control, .lineSeparator, .paragraphSeparator, .privateUse, .surrogate, .unassigned:
      return true
    default:
      return properties.isDefaultIgnorableCodePoint || properties.isBidiControl
    }
  }

  private static func append(_ text: some StringProtocol, to out: inout String, markingInvisible: Bool) {
    var clean = true
    for byte in text.utf8
    where byte < 0x20 || byte >= 0x7F || byte == 0x26 || byte == 0x3C || byte == 0x3E || byte == 0x22 || byte == 0x27 {
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
        if scalar.value < 0x20 {
          out += "\u{FFFD}"
        } else if isInvisible(scalar) {
          let code = String(scalar.value, radix: 16, uppercase: true)
          let escape = "\\u{" + String(repeating: "0", count: max(0, 4 - code.count)) + code + "}"
          out +=
            markingInvisible ? "<span class=\"cc\" title=\"invisible character U+\(code)\">\(escape)</span>" : escape
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
  }
}
