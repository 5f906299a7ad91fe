"""The digest as one self-contained HTML page (inline CSS, no scripts, no external assets)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from importlib.resources import files
from pathlib import Path

from bot.demo._text import SECTION_TITLES, card_headline, waiting_text
from cogs.ports import Card, DigestPage, Section

_CSS = (files("bot.demo") / "digest.css").read_text(encoding="utf-8")


def _card_html(card: Card, drafts: Sequence[str]) -> str:
    item = card.item
    platform = item.platform.value
    link = (
        f' · <a href="{escape(item.url)}">open</a>'
        if item.url and item.url.startswith(("http://", "https://"))
        else ""
    )
    tags = "".join(f'<span class="tag">{escape(r)}</span>' for r in card.reasons)
    if card.breach:
        tags += f'<span class="tag sla">SLA {escape(card.breach)}</span>'
    text = f"<blockquote>{escape(item.text)}</blockquote>" if item.text else ""
    draft_html = ""
    if drafts:
        lis = "".join(f"<li>{escape(d)}</li>" for d in drafts)
        draft_html = f'<div class="meta">Suggested replies</div><ol class="drafts">{lis}</ol>'
    elif card.draft:
        draft_html = (
            '<div class="meta">Suggested reply</div>'
            f'<ol class="drafts"><li>{escape(card.draft)}</li></ol>'
        )
    return (
        f'<div class="card"><div class="who">{escape(card_headline(card))}</div>'
        f'<div class="meta"><span class="{platform}">{platform}</span> · {escape(item.kind)}'
        f" · waiting {escape(waiting_text(card.waiting))}{link}</div>"
        f"{text}<div>{tags}</div>{draft_html}</div>"
    )


def render_html(page: DigestPage, drafts: dict[int, Sequence[str]]) -> str:
    """Render the digest as a complete HTML document."""
    figs = "".join(
        f'<div class="fig"><small>{escape(f.label)}</small><b>{escape(f.value)}</b>'
        + (f'<span class="delta">{escape(f.delta)}</span>' if f.delta else "")
        + "</div>"
        for f in page.figures
    )
    breaches = "".join(f'<div class="breach">{escape(b)}</div>' for b in page.breaches)
    budget = f'<p class="sub">X budget: {escape(page.budget)}</p>' if page.budget else ""
    sections = []
    for section in Section:
        cards = [(i, c) for i, c in enumerate(page.cards) if c.section is section]
        total = page.section_totals.get(section, len(cards))
        body = "".join(_card_html(c, drafts.get(i, ())) for i, c in cards)
        if not cards:
            body = '<p class="more">Nothing here for this period.</p>'
        more = total - len(cards)
        if more > 0:
            body += f'<p class="more">and {more} more</p>'
        sections.append(f"<h2>{escape(SECTION_TITLES[section])} ({total})</h2>{body}")
    generated = page.generated_at.strftime("%Y-%m-%d %H:%M UTC")
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(page.title)}</title><style>{_CSS}</style></head><body><main>"
        f'<h1>{escape(page.title)}</h1><p class="sub">Generated {generated}</p>'
        f'<div class="figs">{figs}</div>{breaches}{budget}{"".join(sections)}'
        "<footer>engagebot — a human approves every word the brand posts.</footer>"
        "</main></body></html>\n"
    )


def write_html(page: DigestPage, drafts: dict[int, Sequence[str]], data_dir: Path) -> Path:
    """Write the page under ``data_dir`` as ``digest-<period>.html`` and return its path."""
    path = data_dir / f"digest-{page.period_key}.html"
    path.write_text(render_html(page, drafts), encoding="utf-8")
    return path
