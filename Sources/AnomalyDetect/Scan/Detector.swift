import SignalGraph

/// A detector of one pattern of manipulation over a whole signal set.
///
/// Each detector lives in a file of its own and names, in its doc comment,
/// the paper or idea it follows. It reads the set and its indexes and
/// returns findings; it never reads labels.
public protocol Detector: Sendable {
  /// A short, stable name used in reports, e.g. `dense-block`.
  var name: String { get }
  /// The findings in `set`, whose adjacency is `graph`.
  func findings(in set: SignalSet, graph: GraphIndex) -> [Finding]
}
