import CLapack

/// Safe wrappers over the level-1, level-2 and level-3 BLAS routines that
/// `FraudLinalg` uses.
///
/// Each function checks dimensions with `precondition` (a mismatch is a
/// programming error, not a recoverable condition) and passes contiguous
/// storage to the C routine without copying. The library is whichever
/// `libblas.so.3` the system selects (reference BLAS or OpenBLAS); set
/// `OPENBLAS_NUM_THREADS=1` for single-threaded, reproducible timings.
///
///     let a = Matrix(rowMajor: [[1, 2], [3, 4]])
///     let b = Matrix.identity(2)
///     let c = BLAS.gemm(a, b)                 // c == a
///     let y = BLAS.gemv(a, [1, 1])            // [3, 7]
///     let d = BLAS.dot([1, 2, 3], [4, 5, 6])  // 32
public enum BLAS {
  /// The dot product `xᵀy` (BLAS `ddot`).
  ///
  /// - Precondition: `x.count == y.count`.
  /// - Complexity: O(n)
  public static func dot(_ x: [Double], _ y: [Double]) -> Double {
    precondition(x.count == y.count, "dot: vectors have lengths \(x.count) and \(y.count)")
    return x.withUnsafeBufferPointer { xp in
      y.withUnsafeBufferPointer { yp in
        cblas_ddot(blasInt(x.count), xp.baseAddress, 1, yp.baseAddress, 1)
      }
    }
  }

  /// The Euclidean norm `‖x‖₂`, computed without overflow (BLAS `dnrm2`).
  ///
  /// - Complexity: O(n)
  public static func nrm2(_ x: [Double]) -> Double {
    x.withUnsafeBufferPointer { cblas_dnrm2(blasInt(x.count), $0.baseAddress, 1) }
  }

  /// Adds `alpha * x` to `y` in place (BLAS `daxpy`).
  ///
  /// - Precondition: `x.count == y.count`.
  /// - Complexity: O(n)
  public static func axpy(_ alpha: Double, _ x: [Double], _ y: inout [Double]) {
    precondition(x.count == y.count, "axpy: vectors have lengths \(x.count) and \(y.count)")
    let n = blasInt(x.count)
    x.withUnsafeBufferPointer { xp in
      y.withUnsafeMutableBufferPointer { yp in
        cblas_daxpy(n, alpha, xp.baseAddress, 1, yp.baseAddress, 1)
      }
    }
  }

  /// Multiplies every element of `x` by `alpha` in place (BLAS `dscal`).
  ///
  /// - Complexity: O(n)
  public static func scale(_ x: inout [Double], by alpha: Double) {
    let n = blasInt(x.count)
    x.withUnsafeMutableBufferPointer { cblas_dscal(n, alpha, $0.baseAddress, 1) }
  }

  /// Computes `y ← alpha · op(A) · x + beta · y` in place (BLAS `dgemv`),
  /// where `op(A)` is `A` or, if `transpose` is `true`, `Aᵀ`.
  ///
  /// - Precondition: `x.count` equals the columns of `op(A)` and `y.count`
  ///   its rows.
  /// - Complexity: O(`a.rows * a.columns`)
  public static func gemv(
    _ a: Matrix, _ x: [Double], transpose: Bool = false,
    alpha: Double = 1, beta: Double = 0, into y: inout [Double]
  ) {
    let (opRows, opColumns) = transpose ? (a.columns, a.rows) : (a.rows, a.columns)
    precondition(x.count == opColumns, "gemv: op(A) is \(opRows)×\(opColumns) but x has \(x.count) entries")
    precondition(y.count == opRows, "gemv: op(A) is \(opRows)×\(opColumns) but y has \(y.count) entries")
    if opRows == 0 { return }
    if opColumns == 0 {
      scale(&y, by: beta)
      return
    }
    a.elements.withUnsafeBufferPointer { ap in
      x.withUnsafeBufferPointer { xp in
        y.withUnsafeMutableBufferPointer { yp in
          cblas_dgemv(
            Int32(FS_CBLAS_COL_MAJOR), Int32(transpose ? FS_CBLAS_TRANS : FS_CBLAS_NO_TRANS),
            blasInt(a.rows), blasInt(a.columns), alpha, ap.baseAddress, blasInt(max(1, a.rows)),
            xp.baseAddress, 1, beta, yp.baseAddress, 1)
        }
      }
    }
  }

  /// Returns `alpha · op(A) · x` (BLAS `dgemv`).
  ///
  ///     let a = Matrix(rowMajor: [[1, 2], [3, 4]])
  ///     BLAS.gemv(a, [1, 0])                   // [1, 3]
  ///     BLAS.gemv(a, [1, 0], transpose: true)  // [1, 2]
  ///
  /// - Complexity: O(`a.rows * a.columns`)
  public static func gemv(
    _ a: Matrix, _ x: [Double], transpose: Bool = false,
    alpha: Double = 1
  ) -> [Double] {
    var y = [Double](repeating: 0, count: transpose ? a.columns : a.rows)
    gemv(a, x, transpose: transpose, alpha: alpha, beta: 0, into: &y)
    return y
  }

  /// Computes `C ← alpha · op(A) · op(B) + beta · C` in place (BLAS `dgemm`).
  ///
  /// - Precondition: the shapes agree: `op(A)` is m×k, `op(B)` is k×n and
  ///   `C` is m×n.
  /// - Complexity: O(m · n · k)
  public static func gemm(
    _ a: Matrix, _ b: Matrix, transposeA: Bool = false, transposeB: Bool = false,
    alpha: Double = 1, beta: Double = 0, into c: inout Matrix
  ) {
    let (m, ka) = transposeA ? (a.columns, a.rows) : (a.rows, a.columns)
    let (kb, n) = transposeB ? (b.columns, b.rows) : (b.rows, b.columns)
    precondition(ka == kb, "gemm: op(A) is \(m)×\(ka) but op(B) is \(kb)×\(n)")
    precondition(c.rows == m && c.columns == n, "gemm: C is \(c.rows)×\(c.columns), expected \(m)×\(n)")
    if m == 0 || n == 0 { return }
    if ka == 0 {
      scale(&c.elements, by: beta)
      return
    }
    let ldc = blasInt(c.rows)
    a.elements.withUnsafeBufferPointer { ap in
      b.elements.withUnsafeBufferPointer { bp in
        c.elements.withUnsafeMutableBufferPointer { cp in
          cblas_dgemm(
            Int32(FS_CBLAS_COL_MAJOR),
            Int32(transposeA ? FS_CBLAS_TRANS : FS_CBLAS_NO_TRANS),
            Int32(transposeB ? FS_CBLAS_TRANS : FS_CBLAS_NO_TRANS),
            blasInt(m), blasInt(n), blasInt(ka), alpha,
            ap.baseAddress, blasInt(max(1, a.rows)), bp.baseAddress, blasInt(max(1, b.rows)),
            beta, cp.baseAddress, ldc)
        }
      }
    }
  }

  /// Returns `alpha · op(A) · op(B)` (BLAS `dgemm`).
  ///
  ///     let x = Matrix(rowMajor: [[1, 2], [3, 4], [5, 6]])
  ///     let g = BLAS.gemm(x, x, transposeA: true)   // the Gram matrix XᵀX
  ///
  /// - Complexity: O(m · n · k)
  public static func gemm(
    _ a: Matrix, _ b: Matrix, transposeA: Bool = false, transposeB: Bool = false,
    alpha: Double = 1
  ) -> Matrix {
    var c = Matrix(rows: transposeA ? a.columns : a.rows, columns: transposeB ? b.rows : b.columns)
    gemm(a, b, transposeA: transposeA, transposeB: transposeB, alpha: alpha, beta: 0, into: &c)
    return c
  }
}

/// Converts a Swift `Int` dimension to the 32-bit integer BLAS and LAPACK use,
/// trapping instead of silently truncating.
@inline(__always)
func blasInt(_ n: Int) -> Int32 {
  precondition(n >= 0 && n <= Int(Int32.max), "dimension \(n) does not fit a 32-bit BLAS/LAPACK integer")
  return Int32(truncatingIfNeeded: n)
}
