#ifndef FRAUDSCAN_CLAPACK_SHIM_H
#define FRAUDSCAN_CLAPACK_SHIM_H
// Prototypes for the few CBLAS and LAPACK routines fraudscan calls.
//
// They are declared here rather than taken from <cblas.h> / <lapack.h> so the
// build needs only libblas-dev and liblapack-dev, and so the binary links
// against the sonames Debian's alternatives switch between (reference BLAS or
// OpenBLAS): same symbols, same ABI.
//
// LAPACK is Fortran: every argument is passed by pointer, integers are 32-bit,
// matrices are column-major, and every CHARACTER argument takes a hidden
// `size_t` length after the regular arguments (gfortran's calling convention).
#include <stddef.h>

// CBLAS enumerations are plain C enums, i.e. `int` in the ABI.
enum { FS_CBLAS_COL_MAJOR = 102 };
enum { FS_CBLAS_NO_TRANS = 111, FS_CBLAS_TRANS = 112 };
enum { FS_CBLAS_UPPER = 121, FS_CBLAS_LOWER = 122 };
enum { FS_CBLAS_NON_UNIT = 131, FS_CBLAS_UNIT = 132 };
enum { FS_CBLAS_LEFT = 141, FS_CBLAS_RIGHT = 142 };

double cblas_ddot(const int n, const double *x, const int incx, const double *y, const int incy);
double cblas_dnrm2(const int n, const double *x, const int incx);
void cblas_daxpy(const int n, const double alpha, const double *x, const int incx, double *y, const int incy);
void cblas_dscal(const int n, const double alpha, double *x, const int incx);
void cblas_dgemv(const int order, const int trans, const int m, const int n,
                 const double alpha, const double *a, const int lda,
                 const double *x, const int incx, const double beta,
                 double *y, const int incy);
void cblas_dgemm(const int order, const int transA, const int transB,
                 const int m, const int n, const int k,
                 const double alpha, const double *a, const int lda,
                 const double *b, const int ldb, const double beta,
                 double *c, const int ldc);
void cblas_dtrsm(const int order, const int side, const int uplo, const int transA,
                 const int diag, const int m, const int n, const double alpha,
                 const double *a, const int lda, double *b, const int ldb);
void cblas_dtrmm(const int order, const int side, const int uplo, const int transA,
                 const int diag, const int m, const int n, const double alpha,
                 const double *a, const int lda, double *b, const int ldb);

// Symmetric eigen-decomposition (MRRR).
void dsyevr_(const char *jobz, const char *range, const char *uplo, const int *n,
             double *a, const int *lda, const double *vl, const double *vu,
             const int *il, const int *iu, const double *abstol, int *m,
             double *w, double *z, const int *ldz, int *isuppz,
             double *work, const int *lwork, int *iwork, const int *liwork,
             int *info, size_t jobz_len, size_t range_len, size_t uplo_len);

// Singular value decomposition (divide and conquer).
void dgesdd_(const char *jobz, const int *m, const int *n, double *a, const int *lda,
             double *s, double *u, const int *ldu, double *vt, const int *ldvt,
             double *work, const int *lwork, int *iwork, int *info, size_t jobz_len);

// Cholesky factorisation and solve.
void dpotrf_(const char *uplo, const int *n, double *a, const int *lda, int *info,
             size_t uplo_len);
void dpotrs_(const char *uplo, const int *n, const int *nrhs, const double *a,
             const int *lda, double *b, const int *ldb, int *info, size_t uplo_len);

// QR factorisation and the explicit Q.
void dgeqrf_(const int *m, const int *n, double *a, const int *lda, double *tau,
             double *work, const int *lwork, int *info);
// Recursive QR (Elmroth-Gustavson): level-3 BLAS even for a few columns;
// Q = I - V T V^T with V unit lower trapezoidal in A and T upper triangular.
void dgeqrt3_(const int *m, const int *n, double *a, const int *lda, double *t,
              const int *ldt, int *info);
void dorgqr_(const int *m, const int *n, const int *k, double *a, const int *lda,
             const double *tau, double *work, const int *lwork, int *info);

#endif
