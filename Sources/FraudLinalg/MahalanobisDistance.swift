import CLapack

/// Mahalanobis distances from a fixed Gaussian model: the mean and the
/// Cholesky factor of the covariance, computed once and then applied to
/// any number of points.
///
/// The distance of x is `√((x − μ)ᵀ Σ⁻¹ (x − μ))`, evaluated as `‖L⁻¹(x − μ)‖`
/// with the factor `Σ = L Lᵀ` by a triangular solve, never by inverting Σ.
///
///     let data = Matrix(rowMajor: [[1, 2], [2, 3], [3, 5], [4, 4]])
///     let model = try MahalanobisDistance(fitting: data)
///     model.distance(to: [2.5, 3.5])                  // distance of one point
///     model.distances(to: data)                       // one per row
///
/// - Complexity: O(d³) to build, O(d²) per point.
public struct MahalanobisDistance: Sendable {
  /// The center μ.
  public let mean: [Double]

  /// The Cholesky factorisation of the covariance Σ.
  public let factor: CholeskyFactorization

  /// Creates the model from a known mean and covariance.
  ///
  /// - Throws: ``LinalgError/notPositiveDefinite(leadingMinor:)`` if the
  ///   covariance is singular (for example a constant or duplicated
  ///   variable); add a small ridge to its diagonal to regularise.
  public init(mean: [Double], covariance: Matrix) throws {
    precondition(
      covariance.rows == mean.count && covariance.columns == mean.count,
      "covariance must be \(mean.count)×\(mean.count)")
    self.mean = mean
    self.factor = try CholeskyFactorization(covariance)
  }

  /// Fits mean and sample covariance to `observations` (rows are points).
  ///
  /// - Throws: ``LinalgError/notPositiveDefinite(leadingMinor:)`` if the
  ///   sample covariance is singular.
  public init(fitting observations: Matrix) throws {
    try self.init(mean: RobustStatistics.mean(observations), covariance: RobustStatistics.covariance(observations))
  }

  /// The dimension d of the points.
  public var dimension: Int { mean.count }

  /// The Mahalanobis distance of one point.
  ///
  /// - Precondition: `point.count == dimension`.
  /// - Complexity: O(d²)
  public func distance(to point: [Double]) -> Double {
    precondition(point.count == dimension, "point has \(point.count) coordinates, expected \(dimension)")
    return distances(to: Matrix(rows: 1, columns: dimension, columnMajor: point))[0]
  }

  /// The Mahalanobis distance of each row of `points`, with one BLAS
  /// triangular solve (`dtrsm`) for the whole block.
  ///
  /// - Precondition: `points.columns == dimension`.
  /// - Complexity: O(n · d²)
  public func distances(to points: Matrix) -> [Double] {
    precondition(points.columns == dimension, "points have \(points.columns) coordinates, expected \(dimension)")
    let n = points.rows, d = dimension
    if n == 0 { return [] }
    if d == 0 { return [Double](repeating: 0, count: n) }
    // Z = (X − 1μᵀ) L⁻ᵀ, so row i of Z is L⁻¹(xᵢ − μ).
    var z = points
    z.withUnsafeMutableBufferPointer { buffer in
      for j in 0..<d { for i in 0..<n { buffer[i + j * n] -= mean[j] } }
    }
    factor.lower.elements.withUnsafeBufferPointer { l in
      z.withUnsafeMutableBufferPointer { b in
        cblas_dtrsm(
          Int32(FS_CBLAS_COL_MAJOR), Int32(FS_CBLAS_RIGHT), Int32(FS_CBLAS_LOWER),
          Int32(FS_CBLAS_TRANS), Int32(FS_CBLAS_NON_UNIT), blasInt(n), blasInt(d), 1,
          l.baseAddress, blasInt(d), b.baseAddress, blasInt(n))
      }
    }
    var result = [Double](repeating: 0, count: n)
    for j in 0..<d { for i in 0..<n { result[i] += z.elements[i + j * n] * z.elements[i + j * n] } }
    return result.map { $0.squareRoot() }
  }
}
