import SignalGraph

/// A detector of one pattern of manipulation over a whole signal set.
///
/// Each detector lives in a file of its own and names, in its doc comment,
/// the paper or idea it follows. It reads the set and its indexes and
/// returns findings; it never reads labels.
///
/// A detector that cannot search the set (a decomposition that fails, a
/// search whose limits the set exceeds) throws rather than return no
/// findings, so that "nothing found" always means "searched and found
/// nothing". ``Scanner`` reports such a failure among the report's
/// ``ScanReport/warnings`` and goes on with the other detectors. Detectors
/// that cannot fail implement the requirement without `throws`.
public protocol Detector: Sendable {
  /// A short, stable name used in reports, e.g. `dense-block`.
  var name: String { get }
  /// The findings in `set`, whose adjacency is `graph`.
  /// - Throws: An error saying why the detector could not search `set`,
  ///   such as ``DetectorError``; its description is shown to people.
  func findings(in set: SignalSet, graph: GraphIndex) throws -> [Finding]
  /// The findings in the context's set, reading the indexes the context
  /// builds once for the whole scan; what ``Scanner`` calls.
  ///
  /// The default calls ``findings(in:graph:)`` with the context's set and
  /// graph. A detector that uses an index other detectors also derive (the
  /// endorsement graph, its spectrum) implements this one and takes the
  /// index from the context.
  /// - Throws: As ``findings(in:graph:)``.
  func findings(in context: ScanContext) throws -> [Finding]
}

extension Detector {
  /// The findings in `context.set`, through ``findings(in:graph:)``.
  public func findings(in context: ScanContext) throws -> [Finding] {
    try findings(in: context.set, graph: context.graph)
  }
}
