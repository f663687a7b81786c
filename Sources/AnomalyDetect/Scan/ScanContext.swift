import FraudLinalg
import SignalGraph
import Synchronization

/// A signal set under scan with the indexes detectors derive from it, each
/// built at most once however many detectors use it.
///
/// ``Scanner`` makes one context per scan and hands it to every detector:
/// the ``GraphIndex`` is built when the context is made; the deduplicated
/// endorsement graph the three bought-engagement detectors share, and the
/// truncated SVD of its adjacency that the `spectral` detector and the
/// investigator's report plot, are built on first use and kept for the
/// rest of the scan. A scan without bought-engagement detectors never
/// builds them.
///
///     let context = ScanContext(try SignalSet(contentsOf: "fixtures/like-farm"))
///     let report = Scanner.standard.scan(context)
///     let spectrum = HTMLReport.spectrum(of: context)   // the scan's own, not a second SVD
///
/// It is a class, not a value, because detectors receive it through a
/// non-mutating protocol method and the cache must fill on the first call
/// that needs an entry, whichever detector makes it; each entry sits behind
/// its own `Mutex`, so the context is `Sendable` and concurrent readers
/// build an entry once and wait for it rather than build it twice.
public final class ScanContext: Sendable {
  /// The signal set.
  public let set: SignalSet
  /// Its time-ordered adjacency indexes.
  public let graph: GraphIndex
  /// Which interactions are endorsements (the only ones the bought-engagement detectors read).
  public let policy: EndorsementPolicy

  private let endorsementCache = Mutex<EndorsementGraph?>(nil)
  private let spectrumCache = Mutex<[Int: Result<EndorsementSpectrum, EndorsementSpectrumError>]>([:])
  private let cycleIndexCache = Mutex<Result<TemporalCycleEnumerator, TemporalCycleError>?>(nil)

  /// Creates the context of `set`, building its ``GraphIndex`` unless `graph`
  /// is given; `policy` says which interactions endorse.
  public init(_ set: SignalSet, graph: GraphIndex? = nil, policy: EndorsementPolicy = .standard) {
    self.set = set
    self.graph = graph ?? GraphIndex(set)
    self.policy = policy
  }

  /// The endorser × endorsed graph with repeated pairs collapsed, built on first use.
  var endorsements: EndorsementGraph {
    endorsementCache.withLock { cached in
      if let cached { return cached }
      let built = EndorsementGraph(set, graph: graph, policy: policy)
      cached = built
      return built
    }
  }

  /// Drops the endorsement graph and its spectra (built again if asked for
  /// later): a scan that owns its context calls it once no detector left
  /// reads them.
  func releaseEngagementIndexes() {
    endorsementCache.withLock { $0 = nil }
    spectrumCache.withLock { $0 = [:] }
  }

  /// The top `rank` singular triplets of the endorsement adjacency (seed 1),
  /// built on first use for each rank; a failure is kept and thrown again.
  ///
  /// Its components list no accounts (`top` 0): callers read the singular
  /// values and the vectors in ``EndorsementSpectrum/svd``. Its error is
  /// the decomposition's alone: each reader says what it then lacks.
  /// - Throws: ``EndorsementSpectrumError`` when the SVD fails.
  func spectrum(rank: Int) throws(EndorsementSpectrumError) -> EndorsementSpectrum {
    let pairs = endorsements  // taken before the spectrum's lock: it has its own
    return try spectrumCache.withLock { cache in
      if let cached = cache[rank] { return cached }
      let built = Result { () throws(EndorsementSpectrumError) in
        try EndorsementSpectrum(adjacency: pairs.binaryAdjacency, rank: rank, top: 0)
      }
      cache[rank] = built
      return built
    }.get()
  }

  /// The temporal-cycle index of the payments (strongly connected
  /// components and time-ordered rows), built on first use and shared by
  /// the circular-payment detectors, each searching it with its own
  /// options (``TemporalCycleEnumerator/searching(_:)``).
  /// - Throws: ``TemporalCycleError`` when it cannot be built.
  func cycleIndex() throws(TemporalCycleError) -> TemporalCycleEnumerator {
    try cycleIndexCache.withLock { cached in
      if let cached { return cached }
      let built = Result { () throws(TemporalCycleError) in
        try TemporalCycleEnumerator(set.payments, accountCount: set.accounts.count)
      }
      cached = built
      return built
    }.get()
  }

  /// The smallest spectrum already built with at least `rank` triplets, or
  /// a new one of rank `rank`: enough for plots of the leading vectors,
  /// which agree with those of a rank-`rank` decomposition to the Lanczos
  /// tolerance (1e-10), up to the sign of a vector whose largest entries tie
  /// in magnitude. Detectors ask ``spectrum(rank:)`` for an exact rank, so
  /// their findings never depend on what else was decomposed before.
  /// - Throws: ``EndorsementSpectrumError`` when that decomposition failed.
  package func spectrum(leading rank: Int) throws(EndorsementSpectrumError) -> EndorsementSpectrum {
    let built = spectrumCache.withLock { cache in cache.keys.filter { $0 >= rank }.min() }
    return try spectrum(rank: built ?? rank)
  }
}
