import Foundation

extension ServeConfiguration {
  /// Splits `HOST:PORT` (`[::1]:8080` for IPv6) into its parts.
  ///
  /// - Throws: ``ServeError/listenAddress(_:)``.
  public static func listenAddress(_ text: String) throws(ServeError) -> (host: String, port: Int) {
    guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
      (0...65_535).contains(port)
    else { throw .listenAddress(text) }
    var host = String(text[..<colon])
    if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
    guard !host.isEmpty else { throw .listenAddress(text) }
    return (host, port)
  }

  /// The bearer token: the first line of `file` when given, else the
  /// environment variable `FRAUDSCAN_TOKEN`; surrounding whitespace is dropped.
  ///
  /// - Throws: ``ServeError/tokenFile(path:reason:)`` when the file cannot be
  ///   read, ``ServeError/noToken(source:)`` when the token is empty or missing.
  public static func token(file: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
    throws(ServeError) -> String
  {
    let text: String
    let source: String
    if let file {
      do {
        text = try String(contentsOfFile: file, encoding: .utf8)
      } catch {
        throw .tokenFile(path: file, reason: (error as NSError).localizedDescription)
      }
      source = file
    } else {
      text = environment["FRAUDSCAN_TOKEN"] ?? ""
      source = "FRAUDSCAN_TOKEN"
    }
    let token = text.split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
    guard !token.isEmpty else { throw .noToken(source: source) }
    return token
  }
}
