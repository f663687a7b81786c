extension SparseMatrix {
  /// Returns `A x`.
  ///
  /// - Precondition: `x.count == columns`.
  /// - Complexity: O(`nonzeroCount + rows`)
  public func multiply(_ x: [Double]) -> [Double] {
    precondition(x.count == columns, "A is \(rows)×\(columns) but x has \(x.count) entries")
    var y = [Double](repeating: 0, count: rows)
    x.withUnsafeBufferPointer { xp in
      y.withUnsafeMutableBufferPointer { yp in multiplyRowMajor(xp, width: 1, into: yp) }
    }
    return y
  }

  /// Returns `Aᵀ x` without forming the transpose.
  ///
  /// - Precondition: `x.count == rows`.
  /// - Complexity: O(`nonzeroCount + columns`)
  public func transposeMultiply(_ x: [Double]) -> [Double] {
    precondition(x.count == rows, "Aᵀ is \(columns)×\(rows) but x has \(x.count) entries")
    var y = [Double](repeating: 0, count: columns)
    x.withUnsafeBufferPointer { xp in
      y.withUnsafeMutableBufferPointer { yp in transposeMultiplyRowMajor(xp, width: 1, into: yp) }
    }
    return y
  }

  /// Returns the dense product `A X` (`rows × x.columns`).
  ///
  /// Internally `X` is copied to row-major order so that each stored entry of
  /// `A` updates one contiguous row of the result; the copies cost
  /// O(`(rows + columns) · k`), small beside the O(`nonzeroCount · k`) product.
  ///
  /// - Precondition: `x.rows == columns`.
  /// - Complexity: O(`nonzeroCount · x.columns`)
  public func multiply(_ x: Matrix) -> Matrix {
    precondition(x.rows == columns, "A is \(rows)×\(columns) but X is \(x.rows)×\(x.columns)")
    let k = x.columns
    let xRowMajor = x.transposed().elements
    var yRowMajor = [Double](repeating: 0, count: rows * k)
    xRowMajor.withUnsafeBufferPointer { xp in
      yRowMajor.withUnsafeMutableBufferPointer { yp in multiplyRowMajor(xp, width: k, into: yp) }
    }
    return Matrix(rows: k, columns: rows, columnMajor: yRowMajor).transposed()
  }

  /// Returns the dense product `Aᵀ X` (`columns × x.columns`) without
  /// forming the transpose: each row of `A` scatters into the result.
  ///
  /// - Precondition: `x.rows == rows`.
  /// - Complexity: O(`nonzeroCount · x.columns`)
  public func transposeMultiply(_ x: Matrix) -> Matrix {
    precondition(x.rows == rows, "Aᵀ is \(columns)×\(rows) but X is \(x.rows)×\(x.columns)")
    let k = x.columns
    let xRowMajor = x.transposed().elements
    var yRowMajor = [Double](repeating: 0, count: columns * k)
    xRowMajor.withUnsafeBufferPointer { xp in
      yRowMajor.withUnsafeMutableBufferPointer { yp in transposeMultiplyRowMajor(xp, width: k, into: yp) }
    }
    return Matrix(rows: k, columns: columns, columnMajor: yRowMajor).transposed()
  }

  /// Returns `A x`.
  public static func * (a: SparseMatrix, x: [Double]) -> [Double] { a.multiply(x) }

  /// Returns the dense product `A X`.
  public static func * (a: SparseMatrix, x: Matrix) -> Matrix { a.multiply(x) }

  // MARK: Kernels on row-major blocks

  /// `Y = A X` for row-major blocks: `x` is `columns × width`, `y` is
  /// `rows × width` and is overwritten.
  ///
  /// Each output row is accumulated in registers, eight (then four, then
  /// one) columns at a time, reading the rows of `x` that the CSR row names.
  func multiplyRowMajor(_ x: UnsafeBufferPointer<Double>, width k: Int, into y: UnsafeMutableBufferPointer<Double>) {
    precondition(x.count == columns * k && y.count == rows * k, "block shapes do not match the sparse matrix")
    guard let xb = x.baseAddress, let yb = y.baseAddress else { return }
    rowOffsets.withUnsafeBufferPointer { offsets in
      columnIndices.withUnsafeBufferPointer { cols in
        values.withUnsafeBufferPointer { vals in
          for i in 0..<rows {
            let start = offsets[i], end = offsets[i + 1]
            let out = yb + i * k
            var c = 0
            while c + 8 <= k {
              var acc = SIMD8<Double>()
              for p in start..<end {
                let row = UnsafeRawPointer(xb + Int(cols[p]) * k + c)
                acc += vals[p] * row.loadUnaligned(as: SIMD8<Double>.self)
              }
              UnsafeMutableRawPointer(out + c).storeBytes(of: acc, as: SIMD8<Double>.self)
              c += 8
            }
            if c + 4 <= k {
              var acc = SIMD4<Double>()
              for p in start..<end {
                let row = UnsafeRawPointer(xb + Int(cols[p]) * k + c)
                acc += vals[p] * row.loadUnaligned(as: SIMD4<Double>.self)
              }
              UnsafeMutableRawPointer(out + c).storeBytes(of: acc, as: SIMD4<Double>.self)
              c += 4
            }
            while c < k {
              var acc = 0.0
              for p in start..<end { acc += vals[p] * xb[Int(cols[p]) * k + c] }
              out[c] = acc
              c += 1
            }
          }
        }
      }
    }
  }

  /// `Y = Aᵀ X` for row-major blocks: `x` is `rows × width`, `y` is
  /// `columns × width` and is overwritten. Row `i` of `A` scatters
  /// `A[i, j] · X[i, :]` into row `j` of `Y`.
  func transposeMultiplyRowMajor(
    _ x: UnsafeBufferPointer<Double>, width k: Int,
    into y: UnsafeMutableBufferPointer<Double>
  ) {
    precondition(x.count == rows * k && y.count == columns * k, "block shapes do not match the sparse matrix")
    guard let xb = x.baseAddress, let yb = y.baseAddress else { return }
    yb.update(repeating: 0, count: columns * k)
    rowOffsets.withUnsafeBufferPointer { offsets in
      columnIndices.withUnsafeBufferPointer { cols in
        values.withUnsafeBufferPointer { vals in
          for i in 0..<rows {
            let start = offsets[i], end = offsets[i + 1]
            if start == end { continue }
            let src = xb + i * k
            var c = 0
            while c + 8 <= k {
              let chunk = UnsafeRawPointer(src + c).loadUnaligned(as: SIMD8<Double>.self)
              for p in start..<end {
                let out = UnsafeMutableRawPointer(yb + Int(cols[p]) * k + c)
                var sum = out.loadUnaligned(as: SIMD8<Double>.self)
                sum += vals[p] * chunk
                out.storeBytes(of: sum, as: SIMD8<Double>.self)
              }
              c += 8
            }
            if c + 4 <= k {
              let chunk = UnsafeRawPointer(src + c).loadUnaligned(as: SIMD4<Double>.self)
              for p in start..<end {
                let out = UnsafeMutableRawPointer(yb + Int(cols[p]) * k + c)
                var sum = out.loadUnaligned(as: SIMD4<Double>.self)
                sum += vals[p] * chunk
                out.storeBytes(of: sum, as: SIMD4<Double>.self)
              }
              c += 4
            }
            while c < k {
              let xi = src[c]
              for p in start..<end { yb[Int(cols[p]) * k + c] += vals[p] * xi }
              c += 1
            }
          }
        }
      }
    }
  }
}
