"""The run page's small chart of objective and bound over elapsed time, drawn on the server as
SVG polylines (run-progress.js redraws it from the stream with the same scale rules)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

WIDTH, HEIGHT, PAD = 320.0, 120.0, 4.0


@dataclass(frozen=True)
class Chart:
    objective: str  # the polyline's points, "x,y x,y ..."
    bound: str
    low: float | None
    high: float | None
    last_s: float


def chart_of(curve: Sequence[dict[str, Any]]) -> Chart:
    values = [p[k] for p in curve for k in ("objective", "bound") if p.get(k) is not None]
    if not values:
        return Chart("", "", None, None, 0.0)
    low, high = min(values), max(values)
    last = max(float(p["elapsed_s"]) for p in curve) or 1.0
    span = (high - low) or 1.0

    def line(key: str) -> str:
        return " ".join(
            f"{PAD + (WIDTH - 2 * PAD) * float(p['elapsed_s']) / last:.1f},"
            f"{HEIGHT - PAD - (HEIGHT - 2 * PAD) * (p[key] - low) / span:.1f}"
            for p in curve
            if p.get(key) is not None
        )

    return Chart(line("objective"), line("bound"), low, high, last)
