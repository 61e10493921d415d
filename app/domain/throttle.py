"""A token bucket per client: the per-client rate limit of STANDARD.md section 2."""

import math
from dataclasses import dataclass, field


@dataclass
class TokenBuckets:
    """`per_minute` requests a minute on average, in bursts of up to `per_minute`."""

    per_minute: int
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)

    def take(self, client: str, now: float) -> int:
        """0 when the request may go, else the seconds to wait before retrying."""
        if self.per_minute <= 0:
            return 0
        rate = self.per_minute / 60.0
        tokens, last = self._buckets.get(client, (float(self.per_minute), now))
        tokens = min(float(self.per_minute), tokens + (now - last) * rate)
        if tokens >= 1.0:
            self._buckets[client] = (tokens - 1.0, now)
            return 0
        self._buckets[client] = (tokens, now)
        return max(1, math.ceil((1.0 - tokens) / rate))
