"""The 95% intervals the kinds' analyses share: Wilson's for a share, Student's t factor
for a mean.

Pure Python and SciPy, no Django import: each kind's `analysis` package calls these
and keeps its own rules (how few answers are too few, what a missing figure is).
"""

import math

from scipy import stats

Z_95 = 1.959964
"""The two-sided 95% quantile of the standard normal distribution."""


def wilson(successes: int, n: int, z: float = Z_95) -> tuple[float, float]:
    """Return the Wilson score interval of the share `successes / n`; (0, 1) when n is 0.

    centre = (p + z²/2n) / (1 + z²/n); half = z · √(p(1 - p)/n + z²/4n²) / (1 + z²/n).
    Unlike the normal approximation it stays within [0, 1] and always contains p, even
    near 0 and 1 and for small n.
    """
    if n < 0 or not 0 <= successes <= n:
        raise ValueError(f"need 0 <= successes <= n, got {successes} of {n}")
    if n == 0:
        return 0.0, 1.0
    share = successes / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (share + z2 / (2 * n)) / denominator
    half = z * math.sqrt(share * (1 - share) / n + z2 / (4 * n * n)) / denominator
    # At 0 and at n a bound equals the share exactly; say so, rather than trust rounding.
    low = 0.0 if successes == 0 else max(0.0, min(share, centre - half))
    high = 1.0 if successes == n else min(1.0, max(share, centre + half))
    return low, high


def t_95(degrees_of_freedom: float) -> float:
    """Return Student's t(0.975, df), the factor of a two-sided 95% interval of a mean
    (df = n - 1 for one sample's mean: mean ± t · sd / √n)."""
    return float(stats.t.ppf(0.975, degrees_of_freedom))
