"""Render digests and item cards as Discord embeds, always within Discord's limits.

These functions are pure (no network): the bot, the webhook-only mode and ``engagebot demo``
all reuse them. :func:`digest_messages` is the entry point.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import discord

from cogs import _limits
from cogs.ports import Card, DigestPage, Figure, ItemStatus, Section
from engagement.models import InteractionKind, Platform

__all__ = [
    "DigestMessage",
    "card_embed",
    "digest_messages",
    "format_waiting",
    "summary_embed",
]

EXCERPT = 700
_PLATFORM_LABEL = {Platform.BLUESKY: "🦋 Bluesky", Platform.X: "𝕏 X"}
_SECTION_COLOUR = {
    Section.ANSWER: discord.Colour.blurple(),
    Section.THANK: discord.Colour.green(),
    Section.CREATORS: discord.Colour.gold(),
}
_FLAGS = {"fr": "🇫🇷", "en": "🇬🇧", "es": "🇪🇸", "de": "🇩🇪", "it": "🇮🇹", "pt": "🇵🇹"}


@dataclass(frozen=True, slots=True)
class DigestMessage:
    """One Discord message of a digest.

    Attributes:
        embeds: At most 10 embeds, 6000 characters in total.
        card: The card this message carries buttons for, when it is a single-card message.
        content: Plain text above the embeds (a section heading), may be empty.
    """

    embeds: tuple[discord.Embed, ...]
    card: Card | None = None
    content: str = ""

    def payload(self) -> dict[str, object]:
        """The JSON body of this message (without components), e.g. for a webhook or HTML."""
        return {"content": self.content, "embeds": [e.to_dict() for e in self.embeds]}


def format_waiting(waiting: timedelta) -> str:
    """Human waiting time: ``12 min``, ``3 h 5 min``, ``2 d 4 h``."""
    minutes = max(0, int(waiting.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {mins} min"
    return f"{mins} min"


def _audience(card: Card) -> str:
    followers = card.item.author.followers_count
    if followers is None:
        return "unknown"
    if followers >= 1_000_000:
        return f"{followers / 1_000_000:.1f} M followers"
    if followers >= 10_000:
        return f"{followers / 1000:.0f} k followers"
    return f"{followers:,} followers".replace(",", " ")


def _status_line(card: Card) -> str:
    state = card.state
    who = f"<@{state.by_id}>" if state.by_id and state.by_id.isdigit() else state.by_name
    when = f" <t:{int(state.at.timestamp())}:R>" if state.at else ""
    if state.status is ItemStatus.OPEN:
        return "🟢 Open"
    if state.status is ItemStatus.CLAIMED:
        return f"✋ Claimed by {who}{when}"
    if state.status is ItemStatus.SNOOZED and state.until:
        return f"💤 Snoozed by {who} until <t:{int(state.until.timestamp())}:f>"
    icon = {"answered": "✅", "thanked": "💚", "done": "☑️", "dismissed": "🗑️"}.get(
        state.status.value, "•"
    )
    how = f" · {state.note}" if state.note else ""
    return f"{icon} {state.status.value.capitalize()} by {who}{when}{how}"


def card_embed(card: Card) -> discord.Embed:
    """The embed of one item: author, audience, platform, link, excerpt, reasons, waiting."""
    item = card.item
    kind = InteractionKind.parse(item.kind)
    kind_label = kind.value if kind else item.kind
    name = item.author.display_name or item.author.handle
    title = f"{_PLATFORM_LABEL[item.platform]} · {kind_label} from {name}"
    closed = card.state.status.is_closed
    embed = discord.Embed(
        title=_limits.truncate(title, _limits.TITLE),
        url=item.url or None,
        colour=discord.Colour.dark_grey() if closed else _SECTION_COLOUR[card.section],
        timestamp=item.created_at,
    )
    if item.text:
        quoted = "\n".join(f"> {line}" for line in item.text.splitlines() or [""])
        embed.description = _limits.truncate(quoted, EXCERPT)
    elif item.subject_text:
        embed.description = _limits.truncate(f"on: *{item.subject_text}*", EXCERPT)
    embed.set_author(name=_limits.truncate(f"@{item.author.handle}", _limits.AUTHOR_NAME))
    embed.add_field(name="Audience", value=_audience(card), inline=True)
    embed.add_field(name="Waiting", value=format_waiting(card.waiting), inline=True)
    flag = _FLAGS.get(item.language or "", item.language or "?")
    embed.add_field(name="Language", value=flag, inline=True)
    if card.reasons:
        reasons = "\n".join(f"• {r}" for r in card.reasons)
        embed.add_field(name="Why", value=_limits.truncate(reasons, 300), inline=False)
    if card.breach and not closed:
        embed.add_field(name="Service level", value=f"⏰ waiting {card.breach}", inline=False)
    embed.add_field(name="Status", value=_limits.truncate(_status_line(card), 300), inline=False)
    if card.state.text:
        embed.add_field(
            name="Posted", value=_limits.truncate(card.state.text, _limits.FIELD_VALUE // 2)
        )
    embed.set_footer(
        text=f"{item.platform.value} · {card.section.value} · {item.external_id}"[:200]
    )
    return embed


def _figure_value(figure: Figure) -> str:
    value = figure.value if not figure.delta else f"{figure.value} ({figure.delta})"
    return _limits.truncate(value or "—", _limits.FIELD_VALUE)


def summary_embed(page: DigestPage) -> discord.Embed:
    """The digest's summary: headline figures, section counts, breaches and X budget."""
    embed = discord.Embed(
        title=_limits.truncate(page.title, _limits.TITLE),
        colour=discord.Colour.blurple(),
        timestamp=page.generated_at,
    )
    lines = []
    for section in Section:
        shown = len(page.section(section))
        total = page.section_totals.get(section, shown)
        more = f" (top {shown} shown)" if total > shown else ""
        lines.append(f"**{section.heading}**: {total}{more}")
    embed.description = _limits.truncate("\n".join(lines), _limits.DESCRIPTION)
    for figure in page.figures[: _limits.FIELDS - 2]:
        embed.add_field(
            name=_limits.truncate(figure.label, _limits.FIELD_NAME),
            value=_figure_value(figure),
            inline=True,
        )
    if page.breaches:
        text = "\n".join(f"⏰ {b}" for b in page.breaches)
        embed.add_field(name="Service level", value=_limits.truncate(text, 1000), inline=False)
    if page.budget:
        embed.add_field(name="X budget", value=_limits.truncate(page.budget, 1000), inline=False)
    embed.set_footer(text=f"period {page.period_key}")
    return embed


def digest_messages(page: DigestPage, *, one_card_per_message: bool = True) -> list[DigestMessage]:
    """Split a digest into Discord messages.

    Args:
        page: The digest.
        one_card_per_message: ``True`` for the bot (each card carries its own buttons);
            ``False`` for webhook-only mode, where cards are packed up to 10 embeds and
            6000 characters per message, a section heading above each section.

    Returns:
        The summary message first, then the cards, section by section.
    """
    messages = [DigestMessage(embeds=(summary_embed(page),))]
    if one_card_per_message:
        messages.extend(DigestMessage(embeds=(card_embed(c),), card=c) for c in page.cards)
        return messages
    for section in Section:
        cards = page.section(section)
        if not cards:
            continue
        heading = f"**{section.heading}**"
        for index, group in enumerate(_limits.pack_embeds(card_embed(c) for c in cards)):
            messages.append(
                DigestMessage(embeds=tuple(group), content=heading if index == 0 else "")
            )
    return messages
