# Reference values for Ramify's agreement statistics (shared/stats/agreement.ts), computed once with R and committed
# as reference.json. Run from the repository root:  Rscript tests/reference/agreement/make-reference.R
# Needs: psych, jsonlite (Debian: r-cran-psych r-cran-jsonlite). irr is not packaged for Debian, so irr::icc's
# ICC(2,1) ("twoway", "agreement", "single") is written out below from its source and checked against psych::ICC.
suppressPackageStartupMessages({ library(jsonlite); library(psych) })

files <- c("shrout-fleiss-1979.csv", "tracers-branch-points.csv", "tracers-total-length.csv", "tracers-primary-small.csv")

# irr::icc(ratings, model = "twoway", type = "agreement", unit = "single", conf.level = 0.95), as in irr 0.84.
irr_icc21 <- function(ratings, conf.level = 0.95) {
  ratings <- as.matrix(na.omit(ratings))
  ns <- nrow(ratings); nr <- ncol(ratings)
  SStotal <- var(as.numeric(ratings)) * (ns * nr - 1)
  alpha <- 1 - conf.level
  MSr <- var(apply(ratings, 1, mean)) * nr
  MSc <- var(apply(ratings, 2, mean)) * ns
  MSe <- (SStotal - MSr * (ns - 1) - MSc * (nr - 1)) / ((ns - 1) * (nr - 1))
  coeff <- (MSr - MSe) / (MSr + (nr - 1) * MSe + (nr / ns) * (MSc - MSe))
  Fvalue <- MSr / MSe
  df1 <- ns - 1; df2 <- (ns - 1) * (nr - 1)
  p.value <- pf(Fvalue, df1, df2, lower.tail = FALSE)
  a <- (nr * coeff) / (ns * (1 - coeff))
  b <- 1 + (nr * coeff * (ns - 1)) / (ns * (1 - coeff))
  v <- (a * MSc + b * MSe)^2 / ((a * MSc)^2 / (nr - 1) + (b * MSe)^2 / ((ns - 1) * (nr - 1)))
  FL <- qf(1 - alpha / 2, ns - 1, v)
  FU <- qf(1 - alpha / 2, v, ns - 1)
  lbound <- (ns * (MSr - FL * MSe)) / (FL * (nr * MSc + (nr * ns - nr - ns) * MSe) + ns * MSr)
  ubound <- (ns * (FU * MSr - MSe)) / (nr * MSc + (nr * ns - nr - ns) * MSe + ns * FU * MSr)
  list(n = ns, k = nr, icc = coeff, ci_low = lbound, ci_high = ubound, f = Fvalue, df1 = df1, df2 = df2, p = p.value,
       msr = MSr, msc = MSc, mse = MSe)
}

out <- list()
for (f in files) {
  d <- read.csv(file.path("tests/fixtures/agreement", f))
  ratings <- d[, -1]
  mine <- irr_icc21(ratings)
  ps <- psych::ICC(ratings, lmer = FALSE)$results
  row <- ps[ps$type == "ICC2", ]
  # The two implementations must agree before their values become the reference.
  stopifnot(isTRUE(all.equal(mine$icc, row$ICC, tolerance = 1e-12)),
            isTRUE(all.equal(mine$ci_low, row$`lower bound`, tolerance = 1e-9)),
            isTRUE(all.equal(mine$ci_high, row$`upper bound`, tolerance = 1e-9)),
            isTRUE(all.equal(mine$p, row$p, tolerance = 1e-9)))
  entry <- list(file = f, icc21 = mine)
  if (ncol(ratings) == 2) {
    diff <- ratings[[2]] - ratings[[1]]
    entry$bland_altman <- list(n = length(diff), bias = mean(diff), sd = sd(diff),
                               lower = mean(diff) - 1.96 * sd(diff), upper = mean(diff) + 1.96 * sd(diff))
  }
  out[[sub("\\.csv$", "", f)]] <- entry
}
out$r_version <- R.version.string
out$psych_version <- as.character(packageVersion("psych"))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "tests/reference/agreement/reference.json")
