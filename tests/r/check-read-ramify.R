# Checks read_ramify.R of a real export in R (run once by hand; CI has no R, tests/unit/project/export.test.ts
# checks the script's text). Usage:
#   npx tsx tests/r/make-check-export.ts /tmp/ramify-r-check && Rscript tests/r/check-read-ramify.R /tmp/ramify-r-check
# Output committed as tests/r/check-read-ramify.out.
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]
source(file.path(dir, "read_ramify.R"))
ok <- TRUE
for (name in names(ramify_col_types)) {
  d <- read_ramify(file.path(dir, name))
  want <- c(c = "character", i = "integer", d = "numeric")[ramify_col_types[[name]]]
  got <- vapply(d, function(col) if (is.integer(col)) "integer" else if (is.numeric(col)) "numeric" else class(col)[1], "")
  bad <- names(got)[got != want]
  logical_cols <- names(got)[got == "logical"]
  cat(sprintf("%-24s %3d rows %3d columns; logical: %d; type mismatches: %d\n", name, nrow(d), ncol(d), length(logical_cols), length(bad)))
  if (length(bad) > 0 || length(logical_cols) > 0) ok <- FALSE
}
# Without readr's guessing the all-empty soma_area_um2 would be logical; here it is numeric NA.
n <- read_ramify(file.path(dir, "neurons.csv"))
cat("soma_area_um2:", class(n$soma_area_um2), "all NA:", all(is.na(n$soma_area_um2)), "\n")
cat("readr guessing instead:", class(readr::read_csv(file.path(dir, "neurons.csv"), show_col_types = FALSE)$soma_area_um2), "\n")
cat(if (ok) "OK\n" else "FAILED\n")
quit(status = if (ok) 0 else 1)
