import Foundation

/// The chance that a payer pays an amount in a range, from its own habit
/// beside the background's share: the one formula the scan's
/// `structured-flow` and the pre-filter's flow check share.
///
/// People repeat their own amounts: a rent, a subscription, a wage, the
/// price a shop charges. How strongly differs from payer to payer and from
/// one population to another: in the simulated banks of IBM AMLSim every
/// account pays one amount to everyone (a new amount is rare evidence),
/// while a shopper or roommates splitting bills pay a new amount most of
/// the time (a new amount tells little). The chance that a payer's payment
/// lies in an amount range mixes the two, as the next draw of a Chinese
/// restaurant process (the Blackwell–MacQueen urn) does: with *n* other
/// payments of the payer, *c* of them in the range, and *q* the
/// background's share of the range,
///
/// ```text
/// P = ν · q + (1 − ν) · c / n
/// ```
///
/// *ν* the chance that the payer pays a new amount, from its own history:
/// *k* new amounts among *m* of its payments after its first, shrunk
/// towards the population's rate *r* by a prior worth ``priorWeight``
/// payments, *ν* = (*k* + ``priorWeight`` · *r*) / (*m* + ``priorWeight``).
/// A payment is new when none before it of its payer lies within
/// ``tolerance`` (the pre-filter remembers a few sums per payer, so there a
/// sum forgotten counts as new again). A payment repeating a sum that only
/// its payee received before is not counted at all: a standing order to one
/// landlord says nothing about how the payer pays anyone else. At most
/// ``maxRead`` payments per payer are counted, so *r*, (new amounts + 1) /
/// (payments counted + 2) over every payer, is never 0 nor 1 and no payroll
/// of thousands of equal salaries sets it for everyone.
///
/// A payer with no history gets the background's *q*; one that pays the
/// amount by habit gets nearly 1 (its relay of that amount is its routine);
/// one whose payments all repeat a sum elsewhere gets about *q* · *ν*,
/// little where payers keep to their sums; one that pays a new sum every
/// time gets about *q*.
///
///     let rate = AmountHabit.newAmountRate(newAmounts: 0, later: 5, populationRate: 0.02)
///     let p = AmountHabit.chance(rate: rate, inRange: 0, others: 6, background: 0.03)
package enum AmountHabit {
  /// The relative distance within which two amounts are one.
  package static let tolerance = 0.01
  /// How many payments' worth the population's rate weighs in a payer's own.
  package static let priorWeight = 2.0
  /// The most payments after its first one payer's rate counts.
  package static let maxRead = 255

  /// Whether `a` and `b` are one amount (within ``tolerance`` of the larger).
  @inline(__always)
  package static func same(_ a: Int64, _ b: Int64) -> Bool {
    Double(abs(a - b)) <= tolerance * Double(max(a, b))
  }

  /// *ν*: the chance of a new amount for a payer with `newAmounts` new
  /// amounts among its `later` payments after the first, in a population
  /// whose rate is `populationRate`.
  package static func newAmountRate(newAmounts: Int, later: Int, populationRate: Double) -> Double {
    (Double(newAmounts) + priorWeight * populationRate) / (Double(later) + priorWeight)
  }

  /// *r*: the population's rate of new amounts, `newAmounts` among `later`
  /// payments counted over every payer (add-one smoothed).
  package static func populationRate(newAmounts: Int, later: Int) -> Double {
    (Double(newAmounts) + 1) / (Double(later) + 2)
  }

  /// A habit read from `count` of `total` observations (an account's
  /// receipts of a sum among all it received), shrunk towards `prior` by a
  /// prior worth ``priorWeight`` observations: (*count* + *w* · *prior*) /
  /// (*total* + *w*), `prior` itself with no observations.
  package static func shrunk(_ count: Int, of total: Int, towards prior: Double) -> Double {
    (Double(min(max(count, 0), max(total, 0))) + priorWeight * prior) / (Double(max(total, 0)) + priorWeight)
  }

  /// Half `band`'s width relative to its top: how far a band's sums lie
  /// from one sum, which widens a rate counted over equal sums
  /// (``widened(_:toSpread:)``).
  package static func spread(of band: ClosedRange<Int64>) -> Double {
    Double(band.upperBound - band.lowerBound) / Double(max(band.upperBound, 1)) / 2
  }

  /// A rate of sums repeated within ``tolerance`` (a fan-in's *s*), widened
  /// to a band whose sums lie up to `spread` (relative) from its middle:
  /// that much likelier, at most 1.
  package static func widened(_ rate: Double, toSpread spread: Double) -> Double {
    min(1, rate * max(1, spread / tolerance))
  }

  /// log₁₀ of the chance that a payer whose only sum a band may be paid
  /// its `receivers` the band's `sums` (one or more per receiver), the
  /// first free: each later receiver whose sum repeats an earlier one to
  /// the cent at `repeated` (the chance of a sum repeated), each whose sum
  /// differs from all before it at `varied` (the rate at which the
  /// population's repeats are not to the cent). Where people keep to their
  /// sums they repeat them exactly, and near-equal sums that all differ
  /// are no sum repeated. The scan's fan-outs and the pre-filter's waiting
  /// ones share it.
  package static func log10OnlySum(_ sums: [Int64], receivers: Int, repeated: Double, varied: Double) -> Double {
    guard receivers > 0 else { return 0 }
    let distinct = min(max(Set(sums).count, 1), receivers)
    return Double(receivers - distinct) * log10(max(repeated, .leastNormalMagnitude))
      + Double(distinct - 1) * log10(max(varied, .leastNormalMagnitude))
  }

  /// Whether `later`, paid to a payee paid `earlier` before, varies that
  /// sum: within ``tolerance`` of it, but not to the cent (a standing
  /// order's repeat is to the cent).
  package static func varies(_ earlier: Int64, _ later: Int64) -> Bool {
    earlier != later && same(earlier, later)
  }

  /// log₁₀ of min(1, C(*e*, *j*) · *R*^*j*): the chance that `inBand` (*j*)
  /// of the `read` (*e*) payments that pay a fan-out's receivers again,
  /// sums that differ from their first, land in its band by chance, each
  /// with `chance` *R* (the larger of the payer's chance of the band and
  /// the rate at which payers vary what they pay one payee). A mule paid
  /// twice is evidence as a new receiver is, where honest payers do not
  /// vary what they pay one payee; never less than none. The scan's
  /// fan-outs and the pre-filter's share it.
  ///
  ///     AmountHabit.log10PaidAgain(read: 3, inBand: 3, chance: 0.1)   // −3
  package static func log10PaidAgain(read: Int, inBand: Int, chance: Double) -> Double {
    guard inBand > 0, read >= inBand else { return 0 }
    let log10Choose =
      (lgamma(Double(read + 1)) - lgamma(Double(inBand + 1)) - lgamma(Double(read - inBand + 1))) / log(10)
    return min(0, log10Choose + Double(inBand) * log10(max(chance, .leastNormalMagnitude)))
  }

  /// *P*: the chance of an amount in a range of background share
  /// `background`, for a payer of new-amount rate `rate` with `inRange` of
  /// its `others` payments in the range (the background's share alone when
  /// it has none).
  package static func chance(rate: Double, inRange: Int, others: Int, background: Double) -> Double {
    guard others > 0 else { return background }
    return rate * background + (1 - rate) * Double(min(max(inRange, 0), others)) / Double(others)
  }
}
