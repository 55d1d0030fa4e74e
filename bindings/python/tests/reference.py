"""The formulas of cxm written again in plain Python, from their definitions
in the headers, to check the library through the package on random data.

Nothing here calls the library: these are the expected values.
"""
import math
from statistics import NormalDist


def z_of(level=0.95):
    return NormalDist().inv_cdf(0.5 + level / 2)


def wilson(k, n, level=0.95):
    z = z_of(level)
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def nps(scores, weights=None, level=0.95, method=0):
    """Dict of the NPS result fields (method 0 adjusted Wald, 1 Wald)."""
    if weights is None:
        weights = [1.0] * len(scores)
    n = len(scores)
    P = sum(1 for s in scores if s >= 9)
    D = sum(1 for s in scores if s <= 6)
    wt = sum(weights)
    wp = sum(w for s, w in zip(scores, weights) if s >= 9)
    wd = sum(w for s, w in zip(scores, weights) if s <= 6)
    wpa = wt - wp - wd
    neff = wt * wt / sum(w * w for w in weights)
    pp, pd = wp / wt, wd / wt
    score = 100 * (pp - pd)
    se = 100 * math.sqrt(max(0.0, (pp + pd - (pp - pd) ** 2) / neff))
    z = z_of(level)
    if method == 1:
        lo, hi = score - z * se, score + z * se
    else:
        n2 = neff + 3
        p2 = (pp * neff + 0.75) / n2
        d2 = (pd * neff + 0.75) / n2
        c = p2 - d2
        h = z * math.sqrt((p2 + d2 - c * c) / n2)
        lo, hi = 100 * (c - h), 100 * (c + h)
    return dict(n=n, promoters=P, passives=n - P - D, detractors=D, weight_total=wt,
                n_effective=neff, promoter_pct=100 * pp, passive_pct=100 * wpa / wt,
                detractor_pct=100 * pd, nps=score, se=se,
                ci=(max(-100.0, lo), min(100.0, hi)))


def nps_adjusted_se(scores):
    n2 = len(scores) + 3
    p2 = (sum(1 for s in scores if s >= 9) + 0.75) / n2
    d2 = (sum(1 for s in scores if s <= 6) + 0.75) / n2
    return 100 * math.sqrt((p2 + d2 - (p2 - d2) ** 2) / n2)


# ---- Student t quantile (regularised incomplete beta, then bisection) ------------

def _betacf(a, b, x):
    qab, qap, qam = a + b, a + 1, a - 1
    c, d = 1.0, 1 - qab * x / qap
    d = 1 / (d if abs(d) > 1e-300 else 1e-300)
    h = d
    for m in range(1, 300):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1 + aa * d
        d = 1 / (d if abs(d) > 1e-300 else 1e-300)
        c = 1 + aa / c
        c = c if abs(c) > 1e-300 else 1e-300
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1 + aa * d
        d = 1 / (d if abs(d) > 1e-300 else 1e-300)
        c = 1 + aa / c
        c = c if abs(c) > 1e-300 else 1e-300
        de = d * c
        h *= de
        if abs(de - 1) < 1e-16:
            break
    return h


def _betai(a, b, x):
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    lbt = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + \
        b * math.log(1 - x)
    if x < (a + 1) / (a + b + 2):
        return math.exp(lbt) * _betacf(a, b, x) / a
    return 1 - math.exp(lbt) * _betacf(b, a, 1 - x) / b


def t_cdf(t, df):
    """P(T <= t) for t >= 0, Student's t with df degrees of freedom."""
    return 1 - 0.5 * _betai(df / 2, 0.5, df / (df + t * t))


def t_quantile(p, df):
    """t such that P(T <= t) = p, for p > 0.5."""
    def cdf(t):
        return t_cdf(t, df)
    lo, hi = 0.0, 1.0
    while cdf(hi) < p:
        hi *= 2
    for _ in range(200):
        mid = (lo + hi) / 2
        if cdf(mid) < p:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def scale_stats(scores, lo, hi, good, level=0.95):
    """mean, sd, median, mean_ci (t, clipped), share of `good` (percent) + Wilson."""
    n = len(scores)
    mean = sum(scores) / n
    sd = math.sqrt(sum((s - mean) ** 2 for s in scores) / (n - 1)) if n > 1 else 0.0
    xs = sorted(scores)
    median = xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2
    if n > 1:
        h = t_quantile(1 - (1 - level) / 2, n - 1) * sd / math.sqrt(n)
        ci = (max(lo, mean - h), min(hi, mean + h))
    else:
        ci = (lo, hi)
    k = sum(1 for s in scores if good(s))
    wl, wh = wilson(k, n, level)
    return dict(n=n, mean=mean, sd=sd, median=median, mean_ci=ci, good=k,
                pct=100 * k / n, pct_ci=(100 * wl, 100 * wh))


def duration_moments(xs):
    us = [round(x * 1e6) for x in xs]
    n = len(us)
    s1, s2 = sum(us), sum(u * u for u in us)
    sd = math.sqrt((n * s2 - s1 * s1) / (n * (n - 1))) / 1e6 if n > 1 else 0.0
    return dict(n=n, sum=s1 / 1e6, mean=s1 / n / 1e6, sd=sd, min=min(xs), max=max(xs))


def rank_quantile(xs, q):
    xs = sorted(xs)
    return xs[int(math.floor(q * (len(xs) - 1)))]


def km_quantile(items, q):
    """Kaplan-Meier q-quantile of (time, resolved) pairs; None if not reached."""
    times = sorted({t for t, _ in items})
    s = 1.0
    for t in times:
        at_risk = sum(1 for u, _ in items if u >= t)
        d = sum(1 for u, r in items if u == t and r)
        s *= 1 - d / at_risk
        if 1 - s >= q - 1e-9:
            return t
    return None


def business_seconds(intervals, offset, holidays, t0, t1, step=60):
    """Open seconds in [t0, t1) by walking it in `step` seconds (all bounds on steps)."""
    import datetime as dt
    total = 0
    t = t0
    while t < t1:
        local = t + offset
        day = local // 86400
        wd = (day + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
        sod = local % 86400
        date = dt.date(1970, 1, 1) + dt.timedelta(days=day)
        if date not in holidays and any(w == wd and o <= sod < c for w, o, c in intervals):
            total += step
        t += step
    return total


def two_proportions(ka, na, kb, nb, level=0.95, unit=1.0):
    """Pooled z test and Newcombe's hybrid score interval (method 10)."""
    pa, pb = ka / na, kb / nb
    diff = pa - pb
    pbar = (ka + kb) / (na + nb)
    se = math.sqrt(pbar * (1 - pbar) * (1 / na + 1 / nb))
    z = diff / se if se else (0.0 if diff == 0 else math.copysign(math.inf, diff))
    p = math.erfc(abs(z) / math.sqrt(2)) if se else (1.0 if diff == 0 else 0.0)
    la, ua = wilson(ka, na, level)
    lb, ub = wilson(kb, nb, level)
    lo = diff - math.sqrt((pa - la) ** 2 + (ub - pb) ** 2)
    hi = diff + math.sqrt((ua - pa) ** 2 + (pb - lb) ** 2)
    return dict(value_a=unit * pa, value_b=unit * pb, diff=unit * diff, se=unit * se,
                statistic=z, p=p, ci=(unit * lo, unit * hi))


def welch(xa, xb, level=0.95):
    na, nb = len(xa), len(xb)
    ma, mb = sum(xa) / na, sum(xb) / nb
    va = sum((x - ma) ** 2 for x in xa) / (na - 1)
    vb = sum((x - mb) ** 2 for x in xb) / (nb - 1)
    se = math.sqrt(va / na + vb / nb)
    df = se ** 4 / ((va / na) ** 2 / (na - 1) + (vb / nb) ** 2 / (nb - 1))
    t = (ma - mb) / se
    p = 2 * (1 - t_cdf(abs(t), df))
    h = t_quantile(1 - (1 - level) / 2, df) * se
    return dict(value_a=ma, value_b=mb, diff=ma - mb, se=se, statistic=t, df=df, p=p,
                ci=(ma - mb - h, ma - mb + h))
