# Reference values for Ramify's statistics (shared/stats), computed once with R and committed as reference.json.
# Run from the repository root:  Rscript tests/reference/stats/make-reference.R
# Needs: multcomp (mvtnorm), lme4, lmerTest, car, jsonlite (Debian: r-cran-multcomp r-cran-lme4 r-cran-lmertest
# r-cran-car r-cran-jsonlite).
suppressPackageStartupMessages({
  library(jsonlite); library(multcomp); library(car); library(lme4); library(lmerTest)
})

datasets <- list(
  list(name = "olson-fig3d-spines", file = "olson-fig3d-spines.csv", group = "condition", value = "spine_density",
       control = "VEH", pairs = list(c("TBG", "VEH"), c("IBO", "VEH"))),
  list(name = "ties-three-groups", file = "ties-three-groups.csv", group = "group", value = "count",
       control = "ctrl", pairs = list(c("drugA", "ctrl"))),
  list(name = "four-groups-unequal", file = "four-groups-unequal.csv", group = "condition", value = "total_length_um",
       control = "vehicle", pairs = list(c("high", "vehicle"))),
  list(name = "two-groups-small", file = "two-groups-small.csv", group = "group", value = "value",
       control = "control", pairs = list(c("treated", "control"))),
  list(name = "two-groups-ties", file = "two-groups-ties.csv", group = "genotype", value = "branch_points",
       control = "wt", pairs = list(c("ko", "wt"))),
  list(name = "mixed-cultures", file = "mixed-cultures.csv", group = "condition", value = "total_length_um",
       control = "vehicle", pairs = list(c("drug", "vehicle")), cluster = "culture")
)

hedges_g <- function(x, y) {
  df <- length(x) + length(y) - 2
  sp <- sqrt((sum((x - mean(x))^2) + sum((y - mean(y))^2)) / df)
  J <- exp(lgamma(df / 2) - lgamma((df - 1) / 2)) / sqrt(df / 2)
  (mean(x) - mean(y)) / sp * J
}

# Dunn's test (ties-corrected z on mean ranks, two-sided), Holm over the comparisons made: written out here because
# FSA/dunn.test are not packaged for Debian; the formula is Dunn (1964) as implemented by FSA::dunnTest.
dunn_holm <- function(y, g, pairs) {
  r <- rank(y); N <- length(y)
  ties <- table(y); tt <- sum(ties^3 - ties)
  s2 <- N * (N + 1) / 12 - tt / (12 * (N - 1))
  mr <- tapply(r, g, mean); n <- table(g)
  out <- lapply(pairs, function(p) {
    z <- (mr[[p[1]]] - mr[[p[2]]]) / sqrt(s2 * (1 / n[[p[1]]] + 1 / n[[p[2]]]))
    list(a = p[1], b = p[2], z = z, p = 2 * pnorm(-abs(z)))
  })
  adj <- p.adjust(sapply(out, `[[`, "p"), "holm")
  for (i in seq_along(out)) out[[i]]$p_adjusted <- adj[i]
  out
}

result <- list(
  generated_by = "tests/reference/stats/make-reference.R",
  r_version = R.version.string,
  packages = lapply(c(multcomp = "multcomp", mvtnorm = "mvtnorm", lme4 = "lme4", lmerTest = "lmerTest", car = "car"),
                    function(p) as.character(packageVersion(p))),
  datasets = list()
)

for (d in datasets) {
  df <- read.csv(file.path("tests/fixtures/stats", d$file), stringsAsFactors = FALSE, check.names = FALSE)
  y <- df[[d$value]]
  lev <- unique(df[[d$group]]) # groups in order of first appearance, as Ramify lists them
  g <- factor(df[[d$group]], levels = lev)
  out <- list(file = d$file, group = d$group, value = d$value, control = d$control, levels = lev)
  out$groups <- lapply(lev, function(l) {
    x <- y[g == l]
    list(name = l, n = length(x), mean = mean(x), sd = sd(x), sem = sd(x) / sqrt(length(x)),
         shapiro = if (length(x) >= 3) { s <- shapiro.test(x); list(W = unname(s$statistic), p = s$p.value) } else NULL)
  })
  k <- length(lev)
  if (k >= 3) {
    fit <- aov(y ~ g)
    a <- anova(lm(y ~ g))
    out$anova <- list(F = a$`F value`[1], df_between = a$Df[1], df_within = a$Df[2], p = a$`Pr(>F)`[1],
                      eta_squared = a$`Sum Sq`[1] / sum(a$`Sum Sq`))
    gc <- relevel(g, ref = d$control)
    fitc <- aov(y ~ gc)
    dn <- glht(fitc, linfct = mcp(gc = "Dunnett"))
    set.seed(1)
    s_default <- summary(dn)
    set.seed(1)
    ci_default <- confint(dn)
    set.seed(1)
    s_precise <- summary(dn, test = adjusted("single-step", algorithm = GenzBretz(maxpts = 2e6, abseps = 1e-6, releps = 0)))
    # qmvt's root finder stops at tol 1e-4, so the precise critical value is found here with a tight uniroot over a
    # high-precision pmvt on the correlation of the glht contrasts.
    corr <- cov2cor(dn$linfct %*% vcov(fitc) %*% t(dn$linfct))
    ncmp <- nrow(corr)
    set.seed(1)
    crit <- uniroot(function(c) pmvt(lower = rep(-c, ncmp), upper = rep(c, ncmp), corr = corr, df = dn$df,
                                     algorithm = GenzBretz(maxpts = 2e6, abseps = 1e-8, releps = 0))[1] - 0.95,
                    c(1.5, 4), tol = 1e-10)$root
    others <- setdiff(lev, d$control)
    out$dunnett <- lapply(seq_along(others), function(i) list(
      group = others[i], control = d$control,
      difference = unname(s_default$test$coefficients[i]), se = unname(s_default$test$sigma[i]),
      t = unname(s_default$test$tstat[i]),
      p_adjusted = unname(s_default$test$pvalues[i]), p_adjusted_precise = unname(s_precise$test$pvalues[i]),
      ci_low = unname(ci_default$confint[i, "lwr"]), ci_high = unname(ci_default$confint[i, "upr"]),
      ci_low_precise = unname(s_default$test$coefficients[i] - crit * s_default$test$sigma[i]),
      ci_high_precise = unname(s_default$test$coefficients[i] + crit * s_default$test$sigma[i])))
    out$dunnett_critical <- attr(ci_default$confint, "calpha")
    out$dunnett_critical_precise <- crit
    tk <- TukeyHSD(fit, conf.level = 0.95)$g
    out$tukey <- lapply(seq_len(nrow(tk)), function(i) {
      nm <- strsplit(rownames(tk)[i], "-", fixed = TRUE)[[1]]
      list(a = nm[1], b = nm[2], difference = tk[i, "diff"], ci_low = tk[i, "lwr"], ci_high = tk[i, "upr"], p_adjusted = tk[i, "p adj"])
    })
    out$tukey_critical <- qtukey(0.95, k, a$Df[2])
    kw <- kruskal.test(y ~ g)
    out$kruskal <- list(H = unname(kw$statistic), df = unname(kw$parameter), p = kw$p.value)
    out$dunn_vs_control <- dunn_holm(y, g, lapply(others, function(o) c(o, d$control)))
    out$dunn_all_pairs <- dunn_holm(y, g, combn(lev, 2, simplify = FALSE))
    bf <- leveneTest(y ~ g, center = median)
    out$brown_forsythe <- list(F = bf$`F value`[1], df1 = bf$Df[1], df2 = bf$Df[2], p = bf$`Pr(>F)`[1])
  }
  out$pairs <- lapply(d$pairs, function(p) {
    x1 <- y[g == p[1]]; x2 <- y[g == p[2]]
    w <- t.test(x1, x2); s <- t.test(x1, x2, var.equal = TRUE)
    mw <- suppressWarnings(wilcox.test(x1, x2))
    exact <- length(x1) < 50 && length(x2) < 50 && !any(duplicated(c(x1, x2)))
    list(a = p[1], b = p[2],
         welch = list(t = unname(w$statistic), df = unname(w$parameter), p = w$p.value, ci_low = w$conf.int[1], ci_high = w$conf.int[2]),
         student = list(t = unname(s$statistic), df = unname(s$parameter), p = s$p.value, ci_low = s$conf.int[1], ci_high = s$conf.int[2]),
         mann_whitney = list(U = unname(mw$statistic), p = mw$p.value, method = if (exact) "exact" else "normal"),
         hedges_g = hedges_g(x1, x2))
  })
  if (!is.null(d$cluster)) {
    cl <- factor(df[[d$cluster]])
    m <- lmer(y ~ gc + (1 | cl), REML = TRUE)
    cf <- summary(m)$coefficients
    vc <- as.data.frame(VarCorr(m))
    out$mixed <- list(cluster = d$cluster,
      terms = c("(Intercept)", others),
      estimate = unname(cf[, "Estimate"]), se = unname(cf[, "Std. Error"]), t = unname(cf[, "t value"]),
      df_satterthwaite = unname(cf[, "df"]), p_satterthwaite = unname(cf[, "Pr(>|t|)"]),
      sd_cluster = vc$sdcor[vc$grp == "cl"], sd_residual = vc$sdcor[vc$grp == "Residual"],
      reml_criterion = unname(REMLcrit(m)))
  }
  result$datasets[[d$name]] <- out
}

writeLines(toJSON(result, auto_unbox = TRUE, digits = I(17), pretty = TRUE, null = "null"),
           "tests/reference/stats/reference.json")
