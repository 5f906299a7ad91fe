"""``engagebot draft``: three reply drafts for a text, from templates or the configured LLM."""

from __future__ import annotations

import argparse
import hashlib
import json
import sys

from bot.drafting import build_drafter, voice_from_settings
from bot.errors import UserError
from bot.logging_setup import configure_logging
from bot.settings import Settings, load_settings
from engagement.drafting import (
    Draft,
    DraftRequest,
    Intent,
    detect_language,
    extract_topic,
    infer_intent,
    template_drafts,
)
from engagement.models import Platform

_TEXTLESS = {Intent.REPOST, Intent.FOLLOW}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``draft`` sub-command."""
    parser = subparsers.add_parser(
        "draft",
        help="suggest three replies to a text (templates, or the team's LLM when configured)",
        description=(
            "Print three reply drafts in the brand's voice (ENGAGEBOT_VOICE_*), each within the "
            "platform's limit. Uses ENGAGEBOT_LLM_* when set, with templates as the fallback."
        ),
    )
    parser.add_argument("--text", required=True, help="the comment to answer")
    parser.add_argument(
        "--kind",
        choices=[i.value for i in Intent],
        help="what to do (default: inferred from the text: question, complaint or praise)",
    )
    parser.add_argument(
        "--platform", choices=[p.value for p in Platform], default=Platform.BLUESKY.value
    )
    parser.add_argument("--lang", help="fr or en (default: detected from the text)")
    parser.add_argument("--author", default="", help="the person's name, to greet them")
    parser.add_argument("--handle", default="", help="the person's @handle (no @)")
    parser.add_argument("--topic", help="what the text is about (default: from ENGAGEBOT_TOPICS)")
    parser.add_argument(
        "--templates-only", action="store_true", help="do not call the LLM even if configured"
    )
    parser.add_argument(
        "--json", action="store_true", help="print a JSON list of {text, length, limit, source}"
    )
    parser.set_defaults(handler=_draft)


def _request(args: argparse.Namespace, settings: Settings) -> DraftRequest:
    text = args.text.strip()
    kind = Intent(args.kind) if args.kind else None
    if not text and kind not in _TEXTLESS:
        raise UserError("--text is empty (only --kind repost or follow can do without text)")
    language = (args.lang or detect_language(text) or "en").strip().lower()
    if not language.replace("-", "").isalpha():
        raise UserError(f"--lang {args.lang!r} is not a language tag (fr, en…)")
    topics = [t for t in settings.topics.split(",") if t.strip()]
    return DraftRequest(
        item_id="cli:" + hashlib.sha256(text.encode()).hexdigest()[:16],
        text=text,
        intent=kind or infer_intent(text, language),
        platform=Platform(args.platform),
        language=language,
        author_name=args.author,
        author_handle=args.handle.lstrip("@"),
        topic=args.topic if args.topic is not None else extract_topic(text, topics),
        voice=voice_from_settings(settings),
    )


def _print(drafts: list[Draft], request: DraftRequest, as_json: bool) -> None:
    if as_json:
        sys.stdout.write(json.dumps([d.as_dict() for d in drafts], ensure_ascii=False) + "\n")
        return
    print(f"{request.intent.value} · {request.platform.value} · {request.language}")
    for number, draft in enumerate(drafts, start=1):
        print(f"\n[{number}] {draft.source.value} · {draft.length}/{draft.limit}")
        print(draft.text)


async def _draft(args: argparse.Namespace) -> int:
    settings = load_settings(Settings)
    configure_logging(settings.log_level)
    request = _request(args, settings)
    if args.templates_only:
        drafts = template_drafts(request)
    else:
        drafter, client = build_drafter(settings)
        try:
            drafts = await drafter.drafts(request)
        finally:
            if client is not None:
                await client.close()
    _print(drafts, request, args.json)
    return 0
