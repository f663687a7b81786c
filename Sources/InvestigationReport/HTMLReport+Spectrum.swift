import AnomalyDetect
import SignalGraph

extension HTMLReport {
  /// The endorsement spectrum the report's scatter plots draw, or why there
  /// is none, in words the report shows.
  ///
  ///     let set = try SignalSet(contentsOf: "fixtures/like-farm")
  ///     switch HTMLReport.spectrum(of: set) {
  ///     case .failed(let error): print(error)   // the rank-3 endorsement spectrum could not be computed (...)
  ///     default: break
  ///     }
  public enum Spectrum: Sendable {
    /// The decomposition; the plots need three singular vectors.
    case computed(EndorsementSpectrum)
    /// The set has no interaction, so no endorsement graph to decompose.
    case noEndorsementGraph
    /// The decomposition failed; the error says what and why.
    case failed(EndorsementSpectrumError)

    /// The decomposition, if there is one.
    var computed: EndorsementSpectrum? {
      if case let .computed(spectrum) = self { return spectrum }
      return nil
    }
  }

  /// The endorsement spectrum the scatter plots need (rank 3), or why
  /// there is none: the set has no interaction, or the decomposition
  /// failed.
  ///
  /// A failure is not an error of the report: the report then says why the
  /// spectrum could not be computed in place of the scatter plots, and the
  /// rest of the report is drawn as usual (the `spectral` detector reports
  /// the failure of its own decomposition among the scan's warnings).
  public static func spectrum(of set: SignalSet) -> Spectrum {
    spectrum(interactions: set.interactions.count) { () throws(EndorsementSpectrumError) in
      try EndorsementSpectrum(set, rank: 3, top: 1)
    }
  }

  /// The spectrum the scatter plots need, taken from `context`: the one
  /// its scan's `spectral` detector computed when it has three vectors or
  /// more (its components then list no accounts, which the plots do not
  /// read), else a rank-3 one; or why there is none, as for a set (when
  /// the scan's own decomposition failed, that failure).
  public static func spectrum(of context: ScanContext) -> Spectrum {
    spectrum(interactions: context.set.interactions.count) { () throws(EndorsementSpectrumError) in
      try context.spectrum(leading: 3)
    }
  }

  /// What `decompose` gives, its failure kept with the reason, or no
  /// endorsement graph when the set has no `interactions`.
  static func spectrum(
    interactions: Int, _ decompose: () throws(EndorsementSpectrumError) -> EndorsementSpectrum
  ) -> Spectrum {
    guard interactions > 0 else { return .noEndorsementGraph }
    do {
      return .computed(try decompose())
    } catch {
      return .failed(error)
    }
  }
}
