"""Geometry of the server-rendered SVG chart of the employment rate (pure)."""

from __future__ import annotations

from dataclasses import dataclass

from .metrics import BENCHMARKS


@dataclass(frozen=True)
class RateBar:
    x: int
    y: int
    width: int
    height: int
    label: str
    value: str


# One dash pattern per benchmark line, so the lines differ by shape as well as by their label
# (colour is never the only signal). The legend draws the same patterns.
BENCHMARK_DASHES = ("2 4", "8 4", "14 3 3 3")


@dataclass(frozen=True)
class Benchmark:
    y: int
    name: str
    percent: float
    dash: str


@dataclass(frozen=True)
class RateChart:
    width: int
    height: int
    bars: list[RateBar]
    benchmarks: list[Benchmark]
    label_x: int  # where the benchmark labels start, right of the bars


def rate_chart(points: list[tuple[str, float | None]], width: int = 640, height: int = 220):
    """Bars for each quarter's rate (0–100 %), with dashed lines at the benchmarks. A hidden or
    missing rate draws no bar; its label says so."""
    plot = height - 40
    label_room = 96  # the benchmark labels sit right of the bars, never over them
    slot = (width - label_room) // max(len(points), 1)

    def y_of(percent: float) -> int:
        return 20 + round(plot * (1 - percent / 100))

    bars = [
        RateBar(
            x=i * slot + 6,
            y=y_of(rate) if rate is not None else height - 20,
            width=slot - 12,
            height=(height - 20) - y_of(rate) if rate is not None else 0,
            label=label,
            value=f"{rate:.0f} %" if rate is not None else "–",
        )
        for i, (label, rate) in enumerate(points)
    ]
    benchmarks = [
        Benchmark(y_of(p), name, p, BENCHMARK_DASHES[i % len(BENCHMARK_DASHES)])
        for i, (name, p) in enumerate(BENCHMARKS.items())
    ]
    return RateChart(width, height, bars, benchmarks, width - label_room + 4)
