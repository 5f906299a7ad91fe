"""``engagebot bench drafts``: template drafts per second and milliseconds per item."""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import replace

from bot.benchmarks._common import LazyProgress, emit
from bot.benchmarks._synthetic import synthetic_records
from engagement.drafting import (
    DraftRequest,
    Formality,
    Intent,
    Tone,
    Voice,
    fits,
    request_for,
    template_drafts,
)

TARGET_MS_PER_ITEM = 50.0
_NAMES = ("Camille", "Zoé 👩\u200d👩\u200d👧\u200d👦", "Jean-Baptiste de La Roche-Aymon", "")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``drafts`` benchmark."""
    parser = subparsers.add_parser(
        "drafts",
        help="template drafting speed (three drafts per item)",
        description="Draft replies from templates for N synthetic interactions and time it.",
    )
    parser.add_argument("--n", type=int, default=2_000, help="items to draft for")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=_run)


def _voices() -> list[Voice]:
    return [
        Voice(tone=tone, formality=formality, signoff=signoff, avoid_words=avoid)
        for tone, formality, signoff, avoid in (
            (Tone.PRACTICAL, Formality.VOUS, "", ()),
            (Tone.PLAYFUL, Formality.TU, "— Léa", ("super",)),
            (Tone.PUNCHY, Formality.VOUS, "", ("sorry", "désolés")),
            (Tone.STORYTELLING, Formality.TU, "— L'équipe Plume", ()),
        )
    ]


async def _run(args: argparse.Namespace) -> int:
    n = max(1, args.n)
    voices = _voices()
    records = synthetic_records(n, seed=args.seed)
    requests: list[DraftRequest] = []
    for index, record in enumerate(records):
        request = request_for(
            record,
            voices[index % len(voices)],
            intent=Intent.CREATOR if index % 11 == 0 else None,
            topics=("dark mode", "Android"),
        )
        name = _NAMES[index % len(_NAMES)]
        requests.append(replace(request, author_name=name) if name else request)
    timings: list[float] = []
    in_limit = True
    with LazyProgress("drafting", n) as progress:
        for request in requests:
            t0 = time.perf_counter()
            drafts = template_drafts(request)
            timings.append((time.perf_counter() - t0) * 1000)
            in_limit = in_limit and all(fits(d.text, request.platform) for d in drafts)
            in_limit = in_limit and len({d.text for d in drafts}) == 3
            progress.advance()
    elapsed = sum(timings) / 1000
    timings.sort()
    result = {
        "benchmark": "drafts",
        "items": n,
        "drafts": 3 * n,
        "seconds": round(elapsed, 4),
        "items_per_s": round(n / elapsed, 1),
        "drafts_per_s": round(3 * n / elapsed, 1),
        "ms_per_item_mean": round(statistics.fmean(timings), 3),
        "ms_per_item_p50": round(timings[len(timings) // 2], 3),
        "ms_per_item_p95": round(timings[min(len(timings) - 1, int(len(timings) * 0.95))], 3),
        "ms_per_item_max": round(timings[-1], 3),
        "target_ms_per_item": TARGET_MS_PER_ITEM,
        "meets_target": timings[-1] < TARGET_MS_PER_ITEM,
        "all_distinct_and_in_limit": in_limit,
    }
    emit(result, as_json=args.json, title="template drafts")
    return 0 if in_limit else 1
