"""``engagebot eval``: score the engine on a labelled file pair (one text / one label per line)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from rich.console import Console
from rich.table import Table

from bot.errors import UserError
from engagement.classifiers import default_classifier
from engagement.eval import TASKS, evaluate, parse_labels, split_lines


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``eval`` sub-command."""
    parser = subparsers.add_parser(
        "eval",
        help="score the classifiers on labelled texts (sentiment, complaint, needs-reply)",
        description=(
            "Score the engine's decisions on a file of texts and a file of labels, one per "
            "line. Sentiment labels: 0 negative, 1 neutral, 2 positive; complaint and "
            "needs-reply: 1 or 0."
        ),
    )
    parser.add_argument("task", choices=TASKS, help="what to score")
    parser.add_argument("--texts", required=True, type=Path, help="one text per line")
    parser.add_argument("--labels", required=True, type=Path, help="one label per line")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=run)


def _read(path: Path, what: str) -> list[str]:
    try:
        content = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(f"{what} file not found: {path}") from None
    except IsADirectoryError:
        raise UserError(f"{what} path is a directory: {path}") from None
    except UnicodeDecodeError:
        raise UserError(f"{what} file is not UTF-8 text: {path}") from None
    except OSError as exc:
        raise UserError(f"cannot read {what} file {path}: {exc.strerror}") from None
    return split_lines(content)


async def run(args: argparse.Namespace) -> int:
    """Read both files, check them, score, print."""
    texts = _read(args.texts, "texts")
    raw_labels = _read(args.labels, "labels")
    if len(texts) != len(raw_labels):
        raise UserError(
            f"{args.texts} has {len(texts)} lines but {args.labels} has {len(raw_labels)}"
        )
    if not texts:
        raise UserError(f"{args.texts} is empty: nothing to score")
    try:
        labels = parse_labels(raw_labels, args.task)
    except ValueError as exc:
        raise UserError(f"{args.labels}: {exc}") from None
    scores = evaluate(args.task, texts, labels, default_classifier())
    result = {"task": args.task, **scores.to_dict()}
    if args.json:
        print(json.dumps(result))
        return 0
    table = Table(title=f"eval {args.task}", show_header=False)
    for key, value in result.items():
        table.add_row(key, f"{value:.4f}" if isinstance(value, float) else str(value))
    Console().print(table)
    return 0
