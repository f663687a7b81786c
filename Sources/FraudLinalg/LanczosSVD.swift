import CLapack
import SplitMix

/// The leading `k` singular triplets of a large sparse matrix, computed by
/// Golub–Kahan–Lanczos bidiagonalization with full reorthogonalization and
/// thick restarts.
///
/// For an m × n matrix `A`, ``u`` is m × k and ``v`` is n × k with
/// orthonormal columns, and ``singularValues`` holds σ₁ ≥ … ≥ σₖ. Unlike
/// ``TruncatedSVD``, which runs a fixed number of block power iterations,
/// `LanczosSVD` iterates until every requested triplet meets a residual
/// test, and it converges much faster on flat spectra (where σₖ₊₁/σₖ is
/// close to 1), the usual case after the first few components of a graph.
///
///     let accounts = 1_000
///     let (followers, followees) = ([0, 0, 1, 2, 999], [1, 2, 2, 0, 3])   // 0 follows 1, …
///     let follows = SparseMatrix(rows: accounts, columns: accounts,
///                                rowIndices: followers, columnIndices: followees,
///                                values: Array(repeating: 1, count: followers.count))
///     let svd = try LanczosSVD(follows, rank: 10, seed: 42)
///     print(svd.singularValues)      // the ten largest, descending
///     let loadings = svd.u.column(0) // each follower's weight in the top component
///
/// Starting from a random unit vector v₁, step j of the bidiagonalization of
/// [Golub & Kahan 1965] computes
///
/// ```text
/// uⱼ = A vⱼ − βⱼ₋₁ uⱼ₋₁,    αⱼ = ‖uⱼ‖,   uⱼ ← uⱼ / αⱼ
/// vⱼ₊₁ = Aᵀ uⱼ − αⱼ vⱼ,     βⱼ = ‖vⱼ₊₁‖, vⱼ₊₁ ← vⱼ₊₁ / βⱼ
/// ```
///
/// so that `A Vⱼ = Uⱼ Bⱼ` and `Aᵀ Uⱼ = Vⱼ Bⱼᵀ + βⱼ vⱼ₊₁ eⱼᵀ` with Bⱼ upper
/// bidiagonal. Each new vector is reorthogonalized against the whole basis
/// on its side by classical Gram–Schmidt (two BLAS `dgemv` per pass),
/// repeated when a pass cancels more than 1 − 1/√2 of the norm ("twice is
/// enough"; the known recurrence term is subtracted first, so one pass
/// usually suffices). This keeps both bases orthonormal to working
/// precision (about 5e-15 on the benchmark below) and the Ritz values free
/// of the spurious copies plain Lanczos produces. [Larsen 1998] shows how
/// to reorthogonalize only partially, which would save most of that work
/// (about half of each step here) at the price of a more delicate
/// recurrence; it is not done. If Bⱼ = P Σ Qᵀ (LAPACK `dgesdd` on the
/// small matrix), the Ritz triplets are (σᵢ, Uⱼpᵢ, Vⱼqᵢ), and
/// `‖Aᵀ Uⱼpᵢ − σᵢ Vⱼqᵢ‖ = βⱼ |eⱼᵀ pᵢ|` while `A Vⱼqᵢ = σᵢ Uⱼpᵢ` exactly: the
/// iteration stops when that residual is at most `tolerance · σ₁` for all
/// k requested triplets. The error in each singular value is then at most
/// the residual, and usually about its square divided by the gap to the
/// rest of the spectrum. The test runs after every step once j ≥ k: the
/// SVD of the j × j matrix costs far less than the two sparse products.
///
/// The bases are capped at `maxDimension` vectors. When the cap is reached
/// without convergence the iteration is thick-restarted as in
/// [Baglama & Reichel 2005]: the best ℓ = k + ⌊(J − k)/2⌋ Ritz vectors
/// are kept, together with vⱼ₊₁, and the bidiagonalization continues from
/// them; B is then upper triangular with the kept Ritz values on its
/// diagonal and the coupling `βⱼ eⱼᵀ pᵢ` in column ℓ + 1.
///
/// If αⱼ or βⱼ vanishes (relative to ‖A vⱼ‖ or ‖Aᵀuⱼ‖, below 1e-12) the
/// Krylov space is invariant; the iteration continues from a fresh random
/// vector orthogonal to the basis, so repeated singular values are found in
/// later blocks. Once that has happened, convergence is accepted at a
/// breakdown only if the block that just ended left the k leading Ritz
/// values unchanged (so a block that adds a copy is always followed by
/// another), and between breakdowns only after the current block has run
/// k steps. Like any Krylov method this can, in principle, miss a copy of
/// a repeated singular value that the start vectors leave (numerically)
/// untouched.
///
/// Products with `A` and `Aᵀ` use the CSR kernels of ``SparseMatrix`` on
/// single vectors; the bases are allocated once (only the small j × j SVD
/// of the convergence test allocates per step). For m < n the method
/// runs on `Aᵀ` so that the basis it completes first is the shorter one;
/// with `maxDimension = min(m, n)` the result is exact. The result depends
/// only on `A`, `seed` and the BLAS; signs are normalised as in
/// ``TruncatedSVD`` (the largest-magnitude entry of each column of ``v`` is
/// positive), so the two agree.
///
/// [Golub & Kahan 1965]: https://doi.org/10.1137/0702016
/// [Larsen 1998]: https://doi.org/10.7146/dpb.v27i537.7070
/// [Baglama & Reichel 2005]: https://doi.org/10.1137/04060593X
///
/// > G. Golub, W. Kahan.
/// "Calculating the Singular Values and Pseudo-Inverse of a Matrix."
/// *Journal of the Society for Industrial and Applied Mathematics, Series B:
/// Numerical Analysis*, vol. 2, no. 2, 1965, pp. 205-224,
/// doi:[10.1137/0702016](https://doi.org/10.1137/0702016)
///
/// > R. M. Larsen.
/// "Lanczos Bidiagonalization with Partial Reorthogonalization."
/// *DAIMI Report Series*, no. 537, Aarhus University, 1998,
/// doi:[10.7146/dpb.v27i537.7070](https://doi.org/10.7146/dpb.v27i537.7070)
///
/// > J. Baglama, L. Reichel.
/// "Augmented Implicitly Restarted Lanczos Bidiagonalization Methods."
/// *SIAM Journal on Scientific Computing*, vol. 27, no. 1, 2005, pp. 19-42,
/// doi:[10.1137/04060593X](https://doi.org/10.1137/04060593X)
///
/// ## Performance
///
/// On the 200 000 × 200 000 power-law benchmark graph (about 1 M nonzeros,
/// ``SparseMatrix/powerLawBipartite(rows:columns:edges:seed:)`` with seed 1),
/// k = 10 and the default tolerance take 43 steps (2 restarts) and about
/// 0.7 s of CPU on one core (OpenBLAS, one thread): about half in the
/// sparse products, half in the memory-bound reorthogonalization. σ₁ … σ₁₀
/// agree with SciPy's `svds` (ARPACK, machine-precision tolerance, about
/// 1.4 s) to 3e-15 relative. ``TruncatedSVD`` with its defaults takes
/// about 1.7 s and leaves σ₁₀ off by 8e-4; with `tolerance: 1e-12` it
/// takes 25 passes and still leaves σ₁₀ off by 3.5e-13.
///
/// - Complexity: Each step costs one product with `A` and one with `Aᵀ`,
///   O(nnz), plus O((m + n) · J) for the reorthogonalization; a restart
///   costs O((m + n) · J · ℓ). Memory is O((m + n) · J), where J is
///   `maxDimension`.
public struct LanczosSVD: Sendable {
  /// The left singular vectors as columns, m × k.
  public let u: Matrix

  /// The k largest singular values, in descending order.
  public let singularValues: [Double]

  /// The right singular vectors as columns, n × k.
  public let v: Matrix

  /// How many bidiagonalization steps were taken in all, each one product
  /// with `A` and one with `Aᵀ`.
  public let iterations: Int

  /// The largest Krylov dimension J the bases were allowed, after defaults
  /// and clamping to min(m, n).
  public let krylovDimension: Int

  /// How many thick restarts were needed.
  public let restarts: Int

  /// The default cap on the Krylov dimension for rank k: max(2k, k + 10)
  /// (then at most min(m, n)), 20 for k = 10.
  ///
  /// On the 200 000 × 200 000 benchmark graph with k = 10, caps of 20 to 40
  /// were equally fast (1.2 to 1.5 s, within the noise of a shared machine);
  /// 70, with no restart, was about 15 % slower because every step
  /// reorthogonalizes against a longer basis. The bases hold (m + n) · J
  /// doubles, so the cap is the SVD's memory: on a 1.25 M-account
  /// endorsement graph 20 takes 0.4 GB where 30 took 0.6 GB, and was no
  /// slower (8.9 to 9.9 s against 11.0 to 12.1 s, two runs each).
  public static func defaultMaxDimension(rank k: Int) -> Int { max(2 * k, k + 10) }

  /// The most thick restarts made before giving up.
  public static let maximumRestarts = 1000

  /// Computes the top `rank` singular triplets of `a`.
  ///
  /// - Parameters:
  ///   - a: The matrix to decompose.
  ///   - rank: How many triplets to return, k; at most `min(a.rows, a.columns)`.
  ///   - tolerance: Stop when every requested Ritz triplet has residual
  ///     `‖Aᵀũ − σ̃ṽ‖ ≤ tolerance · σ₁`. The singular values are then
  ///     typically correct to about `tolerance²` relative, the vectors to
  ///     about `tolerance` divided by the relative gap. Tolerances below
  ///     about 1e-12 are limited by the breakdown test: a new Lanczos
  ///     vector shorter than 1e-12 of its source is taken as zero.
  ///   - maxDimension: The most basis vectors kept on each side, J; the
  ///     default is ``defaultMaxDimension(rank:)``. Memory is (m + n) · J
  ///     doubles. At least k + 2 unless it is min(m, n). Smaller values
  ///     save memory and reorthogonalization work but need more restarts.
  ///   - seed: Seeds the random start vector; equal seeds give equal results.
  /// - Throws: ``LinalgError/didNotConverge(routine:info:)`` (with routine
  ///   `"LanczosSVD"` and the step count) if ``maximumRestarts`` restarts do
  ///   not reach the tolerance; ``LinalgError`` from LAPACK's SVD of the
  ///   small matrix (for example on NaN input).
  public init(
    _ a: SparseMatrix, rank k: Int, tolerance: Double = 1e-10,
    maxDimension: Int? = nil, seed: UInt64 = 0
  ) throws {
    let m = a.rows, n = a.columns
    precondition(k >= 0 && k <= min(m, n), "rank \(k) is not between 0 and min(rows, columns) = \(min(m, n))")
    precondition(tolerance >= 0, "tolerance must be non-negative")
    let shortSide = min(m, n)
    let dimension = min(maxDimension ?? Self.defaultMaxDimension(rank: k), shortSide)
    precondition(
      k == 0 || dimension == shortSide || dimension >= k + 2,
      "maxDimension \(dimension) must be at least rank + 2 = \(k + 2) or min(rows, columns)")
    if k == 0 {
      self.u = Matrix(rows: m, columns: 0)
      self.singularValues = []
      self.v = Matrix(rows: n, columns: 0)
      self.iterations = 0
      self.krylovDimension = 0
      self.restarts = 0
      return
    }
    // Work on the tall orientation A' (rows ≥ columns) so the V basis, in
    // the smaller space, is the one that can become complete.
    let transposed = m < n
    var engine = GolubKahanLanczos(a, transposed: transposed, dimension: dimension, seed: seed)
    let values: [Double]
    do {
      values = try engine.run(rank: k, tolerance: tolerance)
    } catch {
      engine.deallocate()
      throw error
    }
    var (u, v) = engine.takeRitzVectors(k)
    if transposed { swap(&u, &v) }
    TruncatedSVD.normalizeSigns(u: &u, v: &v)
    self.u = u
    self.singularValues = values
    self.v = v
    self.iterations = engine.steps
    self.krylovDimension = dimension
    self.restarts = engine.restarts
  }
}

/// The Golub–Kahan–Lanczos iteration on the tall orientation `A'` of a
/// sparse matrix (`A` itself, or `Aᵀ` when `A` is wide), with its bases
/// and scratch allocated once.
struct GolubKahanLanczos {
  let a: SparseMatrix
  let transposed: Bool
  /// Rows (the U side) and columns (the V side) of A', rows ≥ columns.
  let rows: Int, columns: Int
  /// The basis cap J.
  let dimension: Int
  /// U: rows × J, column-major. V: columns × (J + 1), column-major.
  let uBasis: UnsafeMutablePointer<Double>
  let vBasis: UnsafeMutablePointer<Double>
  /// B: J × J, column-major (upper triangular; bidiagonal between restarts).
  let b: UnsafeMutablePointer<Double>
  /// Gram–Schmidt coefficients, J + 1 entries.
  let coefficients: UnsafeMutablePointer<Double>
  var rng: SplitMix64
  var steps = 0
  var restarts = 0

  static let breakdownThreshold = 1e-12

  init(_ a: SparseMatrix, transposed: Bool, dimension: Int, seed: UInt64) {
    self.a = a
    self.transposed = transposed
    self.rows = transposed ? a.columns : a.rows
    self.columns = transposed ? a.rows : a.columns
    self.dimension = dimension
    uBasis = .allocate(capacity: rows * dimension)
    vBasis = .allocate(capacity: columns * (dimension + 1))
    b = .allocate(capacity: dimension * dimension)
    coefficients = .allocate(capacity: dimension + 1)
    rng = SplitMix64(seed: seed)
  }

  func deallocate() {
    uBasis.deallocate()
    vBasis.deallocate()
    b.deallocate()
    coefficients.deallocate()
  }

  /// The leading `k` Ritz vectors that ``run(rank:tolerance:)`` left in the
  /// first `k` columns of each basis (U is rows × k, V is columns × k); frees
  /// the engine. Each basis is freed as soon as its vectors are copied out,
  /// so the copies never sit beside both bases: the peak stays at the bases'
  /// (rows + columns) · J doubles plus one side's k columns.
  func takeRitzVectors(_ k: Int) -> (u: Matrix, v: Matrix) {
    b.deallocate()
    coefficients.deallocate()
    let u = Matrix(rows: rows, columns: k, columnMajor: Array(UnsafeBufferPointer(start: uBasis, count: rows * k)))
    uBasis.deallocate()
    let v = Matrix(
      rows: columns, columns: k, columnMajor: Array(UnsafeBufferPointer(start: vBasis, count: columns * k)))
    vBasis.deallocate()
    return (u, v)
  }

  /// `out = A' x` (x has `columns` entries, out has `rows`).
  func multiply(_ x: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>) {
    let xp = UnsafeBufferPointer(start: x, count: columns)
    let yp = UnsafeMutableBufferPointer(start: out, count: rows)
    if transposed {
      a.transposeMultiplyRowMajor(xp, width: 1, into: yp)
    } else {
      a.multiplyRowMajor(xp, width: 1, into: yp)
    }
  }

  /// `out = A'ᵀ x` (x has `rows` entries, out has `columns`).
  func transposeMultiply(_ x: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>) {
    let xp = UnsafeBufferPointer(start: x, count: rows)
    let yp = UnsafeMutableBufferPointer(start: out, count: columns)
    if transposed {
      a.multiplyRowMajor(xp, width: 1, into: yp)
    } else {
      a.transposeMultiplyRowMajor(xp, width: 1, into: yp)
    }
  }

  /// Removes from `w` (length `length`) its components along the first
  /// `count` columns of `basis` by classical Gram–Schmidt, and returns the
  /// norms of `w` before and after.
  ///
  /// A pass is repeated while it cancels more than 1 − 1/√2 of the norm
  /// (the criterion of Daniel, Gragg, Kaufman and Stewart, 1976): one pass
  /// leaves components of order ε‖before‖ / ‖after‖, so without heavy
  /// cancellation that is already at working precision, and a second pass
  /// ("twice is enough") fixes the rest. In the Lanczos steps the known
  /// recurrence term has been subtracted first, so the second pass is rare.
  /// With `minimumPasses: 2` the second pass is always made.
  @discardableResult
  func orthogonalize(
    _ w: UnsafeMutablePointer<Double>, against basis: UnsafePointer<Double>,
    length: Int, count: Int, minimumPasses: Int = 1
  ) -> (before: Double, after: Double) {
    let len = blasInt(length), cnt = blasInt(count)
    let before = cblas_dnrm2(len, w, 1)
    guard count > 0, length > 0 else { return (before, before) }
    var norm = before
    for pass in 1...3 {
      cblas_dgemv(
        Int32(FS_CBLAS_COL_MAJOR), Int32(FS_CBLAS_TRANS), len, cnt, 1, basis, len,
        w, 1, 0, coefficients, 1)
      cblas_dgemv(
        Int32(FS_CBLAS_COL_MAJOR), Int32(FS_CBLAS_NO_TRANS), len, cnt, -1, basis, len,
        coefficients, 1, 1, w, 1)
      let after = cblas_dnrm2(len, w, 1)
      if pass >= minimumPasses && after > 0.5.squareRoot() * norm { return (before, after) }
      norm = after
    }
    return (before, norm)
  }

  /// Writes into `w` a random unit vector orthogonal to the first `count`
  /// columns of `basis` (count < length).
  mutating func freshVector(
    _ w: UnsafeMutablePointer<Double>, orthogonalTo basis: UnsafePointer<Double>,
    length: Int, count: Int
  ) {
    var gaussian = [Double](repeating: 0, count: length)
    while true {
      rng.fillGaussian(&gaussian)
      gaussian.withUnsafeBufferPointer { w.update(from: $0.baseAddress!, count: length) }
      let (before, norm) = orthogonalize(w, against: basis, length: length, count: count, minimumPasses: 2)
      if norm > 1e-8 * before {
        cblas_dscal(blasInt(length), 1 / norm, w, 1)
        return
      }
    }
  }

  /// Overwrites the first `keep` columns of the `length × count` basis with
  /// `basis · C[:, 0..<keep]` (C is `count × count` with leading dimension
  /// `ldc`, read transposed if `transposeC`), a block of rows at a time.
  func rotate(
    _ basis: UnsafeMutablePointer<Double>, length: Int, count: Int, keep: Int,
    by c: UnsafePointer<Double>, ldc: Int, transposeC: Bool, scratch: UnsafeMutablePointer<Double>,
    blockRows: Int
  ) {
    var start = 0
    while start < length {
      let rowsHere = min(blockRows, length - start)
      cblas_dgemm(
        Int32(FS_CBLAS_COL_MAJOR), Int32(FS_CBLAS_NO_TRANS),
        Int32(transposeC ? FS_CBLAS_TRANS : FS_CBLAS_NO_TRANS),
        blasInt(rowsHere), blasInt(keep), blasInt(count), 1, basis + start, blasInt(length),
        c, blasInt(ldc), 0, scratch, blasInt(rowsHere))
      for j in 0..<keep {
        (basis + start + j * length).update(from: scratch + j * rowsHere, count: rowsHere)
      }
      start += rowsHere
    }
  }

  /// Runs the iteration to convergence and returns the leading `k` Ritz
  /// values of A'; their vectors are left in the first `k` columns of the
  /// bases (``takeRitzVectors(_:)``), rotated in place as a thick restart
  /// rotates them, so that no second copy of them is allocated beside the bases.
  mutating func run(rank k: Int, tolerance: Double) throws -> [Double] {
    let m = rows, n = columns, jMax = dimension
    b.initialize(repeating: 0, count: jMax * jMax)
    // v₁: a random unit vector.
    freshVector(vBasis, orthogonalTo: vBasis, length: n, count: 0)

    var first = 0  // the step at which the current cycle starts
    var lastBeta = 0.0  // βⱼ of the latest step
    var normEstimate = 0.0  // the largest α or β seen, a lower bound on ‖A‖
    var blockSteps: Int? = nil  // steps since the latest fresh vector, nil before any breakdown
    var topAtBreakdown: [Double]? = nil  // the top k Ritz values at the latest β breakdown
    var j = 0
    while true {
      // u step: uⱼ = A'vⱼ − (known components along earlier u), reorthogonalized.
      let uj = uBasis + j * m, vj = vBasis + j * n
      multiply(vj, into: uj)
      if j > 0 {
        if j == first {
          // After a restart, A'v_{ℓ+1} = Σ ρᵢ ũᵢ + α u_{ℓ+1}; ρ is column ℓ of B.
          cblas_dgemv(
            Int32(FS_CBLAS_COL_MAJOR), Int32(FS_CBLAS_NO_TRANS), blasInt(m), blasInt(j), -1,
            uBasis, blasInt(m), b + j * jMax, 1, 1, uj, 1)
        } else {
          cblas_daxpy(blasInt(m), -b[(j - 1) + j * jMax], uBasis + (j - 1) * m, 1, uj, 1)
        }
      }
      let uNorms = orthogonalize(uj, against: uBasis, length: m, count: j)
      var alpha = uNorms.after
      if alpha <= Self.breakdownThreshold * max(uNorms.before, normEstimate) {
        alpha = 0
        freshVector(uj, orthogonalTo: uBasis, length: m, count: j)
        blockSteps = 0
      } else {
        cblas_dscal(blasInt(m), 1 / alpha, uj, 1)
      }
      b[j + j * jMax] = alpha
      normEstimate = max(normEstimate, alpha)

      // v step: vⱼ₊₁ = A'ᵀuⱼ − αⱼvⱼ, reorthogonalized.
      let vNext = vBasis + (j + 1) * n
      transposeMultiply(uj, into: vNext)
      cblas_daxpy(blasInt(n), -alpha, vj, 1, vNext, 1)
      let vNorms = orthogonalize(vNext, against: vBasis, length: n, count: j + 1)
      var beta = vNorms.after
      var betaBreakdown = false
      if j + 1 == n {
        beta = 0  // V spans the whole space: B is exact.
        betaBreakdown = true
      } else if beta <= Self.breakdownThreshold * max(vNorms.before, normEstimate) {
        beta = 0
        betaBreakdown = true
        freshVector(vNext, orthogonalTo: vBasis, length: n, count: j + 1)
      } else {
        cblas_dscal(blasInt(n), 1 / beta, vNext, 1)
      }
      if j + 1 < jMax { b[j + (j + 1) * jMax] = beta }
      lastBeta = beta
      normEstimate = max(normEstimate, beta)
      steps += 1
      if betaBreakdown { blockSteps = 0 } else if let s = blockSteps { blockSteps = s + 1 }

      let size = j + 1
      let complete = size == n
      if size >= k {
        // SVD of the leading size × size block of B.
        var small = [Double](repeating: 0, count: size * size)
        for c in 0..<size {
          for r in 0..<size { small[r + c * size] = b[r + c * jMax] }
        }
        let (p, sigma, qt) = try thinSVD(small, rows: size, columns: size)
        let sigma1 = sigma[0]
        let top = Array(sigma[0..<k])
        var converged = complete
        if !converged {
          converged = true
          for i in 0..<k where abs(lastBeta * p.elements[(size - 1) + i * size]) > tolerance * sigma1 {
            converged = false
            break
          }
          // After a breakdown, a fresh block may still add a copy of a
          // repeated value. Accept at a breakdown only if the block that
          // just ended added nothing to the top k, otherwise only once the
          // current block has run k steps.
          if converged, let blockSteps {
            if betaBreakdown {
              converged =
                topAtBreakdown.map { previous in
                  zip(top, previous).allSatisfy { abs($0 - $1) <= tolerance * sigma1 }
                } ?? false
            } else {
              converged = blockSteps >= k
            }
          }
        }
        if betaBreakdown { topAtBreakdown = top }
        if converged {
          let blockRows = 16384
          let scratch = UnsafeMutablePointer<Double>.allocate(capacity: blockRows * k)
          defer { scratch.deallocate() }
          p.elements.withUnsafeBufferPointer { pp in
            rotate(
              uBasis, length: m, count: size, keep: k, by: pp.baseAddress!, ldc: size,
              transposeC: false, scratch: scratch, blockRows: blockRows)
          }
          qt.elements.withUnsafeBufferPointer { qp in
            rotate(
              vBasis, length: n, count: size, keep: k, by: qp.baseAddress!, ldc: size,
              transposeC: true, scratch: scratch, blockRows: blockRows)
          }
          return Array(sigma[0..<k])
        }
        if size == jMax {
          // Thick restart: keep the ℓ best Ritz pairs and v_{J+1}.
          if restarts >= LanczosSVD.maximumRestarts {
            throw LinalgError.didNotConverge(routine: "LanczosSVD", info: steps)
          }
          restarts += 1
          let keep = min(k + (jMax - k) / 2, jMax - 1)
          let blockRows = 16384
          let scratch = UnsafeMutablePointer<Double>.allocate(capacity: blockRows * keep)
          defer { scratch.deallocate() }
          p.elements.withUnsafeBufferPointer { pp in
            rotate(
              uBasis, length: m, count: size, keep: keep, by: pp.baseAddress!, ldc: size,
              transposeC: false, scratch: scratch, blockRows: blockRows)
          }
          qt.elements.withUnsafeBufferPointer { qp in
            rotate(
              vBasis, length: n, count: size, keep: keep, by: qp.baseAddress!, ldc: size,
              transposeC: true, scratch: scratch, blockRows: blockRows)
          }
          (vBasis + keep * n).update(from: vBasis + size * n, count: n)
          b.update(repeating: 0, count: jMax * jMax)
          for i in 0..<keep {
            b[i + i * jMax] = sigma[i]
            b[i + keep * jMax] = lastBeta * p.elements[(size - 1) + i * size]
          }
          first = keep
          j = keep
          continue
        }
      }
      j += 1
    }
  }
}
