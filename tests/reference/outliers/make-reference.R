# Reference values for shared/review/outliers.ts (tests/unit/review/outliers.test.ts): R's median() and mad()
# (constant 1.4826, centre the median) and the robust z (x - median) / mad of each value, for a few samples.
# Run from the repo root: Rscript tests/reference/outliers/make-reference.R > tests/reference/outliers/reference.json
samples <- list(
  odd = c(12, 15, 11, 14, 13, 40),
  even = c(3, 4, 3, 4, 5, 3, 4, 9),
  lengths = c(312.5, 298.1, 355.0, 301.7, 287.9, 330.2, 41.3, 318.8, 305.6),
  ties = c(2, 2, 2, 2, 3, 8),
  negatives = c(-4.5, -1, 0, 0.25, 2, 2.5, 30)
)
# A zero MAD gives no finite z (R: NaN or Inf); written as null, which Ramify reports as "no z".
num <- function(x) ifelse(is.finite(x), trimws(formatC(x, digits = 17, format = "g")), "null")
cat("{\n")
keys <- names(samples)
for (i in seq_along(keys)) {
  x <- samples[[keys[i]]]
  m <- median(x)
  s <- mad(x)
  z <- (x - m) / s
  cat(sprintf('  "%s": {"x": [%s], "median": %s, "mad": %s, "z": [%s]}%s\n', keys[i],
    paste(num(x), collapse = ", "), num(m), num(s), paste(num(z), collapse = ", "), if (i < length(keys)) "," else ""))
}
cat("}\n")
