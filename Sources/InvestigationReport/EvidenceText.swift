import AnomalyDetect
import Foundation
import SignalGraph

/// A cluster's evidence in words: its one-line reason, its findings, and the
/// evidence values as nested HTML lists or plain `key: value` pairs.
enum EvidenceText {
  /// The findings a cluster merges: (detector, score, evidence), strongest
  /// first; a single-finding cluster is its own one finding.
  static func findings(of cluster: Cluster) -> [(detector: String, score: Double, evidence: Evidence)] {
    if case let .object(o) = cluster.evidence, case let .array(parts)? = o["findings"] {
      let found: [(detector: String, score: Double, evidence: Evidence)] = parts.compactMap { part in
        guard case let .object(p) = part else { return nil }
        var score = 0.0
        if case let .number(s)? = p["score"] {
          score = s
        } else if case let .integer(s)? = p["score"] {
          score = Double(s)
        }
        if case let .string(d)? = p["detector"] { return (d, score, p["evidence"] ?? .null) }
        return nil
      }
      if !found.isEmpty { return found }
    }
    return [(cluster.detector, cluster.score, cluster.evidence)]
  }

  /// The evidence's `reason`, else the strongest finding's, else a summary.
  static func reason(of cluster: Cluster) -> String {
    for finding in findings(of: cluster) {
      if case let .object(o) = finding.evidence, case let .string(r)? = o["reason"] { return r }
    }
    if case let .string(s) = cluster.evidence, !s.isEmpty { return s }
    return "\(cluster.accounts.count) accounts flagged as \(cluster.kind.rawValue) by \(cluster.detector)"
  }

  /// A scalar value in words, or `nil` for a list or an object.
  static func scalar(_ e: Evidence) -> String? {
    switch e {
    case let .string(s): return s
    case let .integer(i): return String(i)
    case let .number(d): return number(d)
    case let .bool(b): return b ? "yes" : "no"
    case .null: return "–"
    case .array, .object: return nil
    }
  }

  /// `d` with up to four significant digits, whole numbers without decimals.
  static func number(_ d: Double) -> String {
    if d.isFinite, d == d.rounded(), abs(d) < 1e15 { return String(Int(d)) }
    return String(format: "%.4g", d)
  }

  /// The top-level scalar values of `evidence` other than `reason`, by key.
  static func figures(_ evidence: Evidence) -> [(key: String, value: String)] {
    guard case let .object(o) = evidence else { return [] }
    return o.keys.sorted().compactMap { key in
      guard key != "reason", let value = o[key], let text = scalar(value) else { return nil }
      return (key.replacingOccurrences(of: "_", with: " "), text)
    }
  }

  /// Appends `evidence` as nested HTML: objects as `<dl>`, lists of scalars
  /// joined by commas (at most `maxItems`), other lists as `<ol>`.
  /// Text longer than `maxText` characters is cut with `…`.
  static func appendHTML(
    _ evidence: Evidence, skippingReason: Bool, maxItems: Int = 25, maxText: Int = 400, into out: inout String,
    depth: Int = 0
  ) {
    if let text = scalar(evidence) {
      HTMLEscaping.appendIsolated(HTMLEscaping.truncated(text, maxText), to: &out)
      return
    }
    // Deep enough for a ring → its cycles → their hops → one hop.
    guard depth < 10 else {
      out += "…"
      return
    }
    switch evidence {
    case let .object(o) where hopLine(o) != nil:
      HTMLEscaping.appendIsolated(hopLine(o)!, to: &out)
    case let .object(o):
      out += "<dl class=\"ev\">"
      for key in o.keys.sorted() where !(skippingReason && key == "reason") {
        out += "<dt>"
        HTMLEscaping.append(key.replacingOccurrences(of: "_", with: " "), to: &out)
        out += "</dt><dd>"
        appendHTML(o[key]!, skippingReason: false, maxItems: maxItems, maxText: maxText, into: &out, depth: depth + 1)
        out += "</dd>"
      }
      out += "</dl>"
    case let .array(items):
      if items.allSatisfy({ scalar($0) != nil }) {
        for (i, item) in items.prefix(maxItems).enumerated() {
          if i > 0 { out += ", " }
          HTMLEscaping.appendIsolated(HTMLEscaping.truncated(scalar(item)!, maxText), to: &out)
        }
      } else {
        out += "<ol class=\"ev\">"
        for item in items.prefix(maxItems) {
          out += "<li>"
          appendHTML(item, skippingReason: false, maxItems: maxItems, maxText: maxText, into: &out, depth: depth + 1)
          out += "</li>"
        }
        out += "</ol>"
      }
      if items.count > maxItems { out += " … and \(items.count - maxItems) more" }
    default: break
    }
  }

  /// A payment hop (`from`, `to`, `amount`, `ts`, optional `payment`) on one
  /// line, `a → b 120.50 at 2026-03-01T12:00:00Z (p17)`; `nil` for other objects.
  static func hopLine(_ o: [String: Evidence]) -> String? {
    guard let from = o["from"].flatMap(scalar), let to = o["to"].flatMap(scalar),
      let amount = o["amount"].flatMap(scalar), let ts = o["ts"].flatMap(scalar)
    else { return nil }
    let payment = o["payment"].flatMap(scalar).map { " (\($0))" } ?? ""
    return "\(from) → \(to) \(amount) at \(ts)\(payment)"
  }
}
