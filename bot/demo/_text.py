"""Small text helpers shared by the terminal and HTML renderings of a digest."""

from __future__ import annotations

from datetime import timedelta

from cogs.ports import Card, Section

SECTION_TITLES: dict[Section, str] = {section: section.heading for section in Section}


def waiting_text(waiting: timedelta) -> str:
    """``3 h 20 min``, ``2 d 4 h``, ``12 min``: how long someone has waited."""
    minutes = int(waiting.total_seconds() // 60)
    if minutes < 60:
        return f"{max(minutes, 0)} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes:02d} min"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h"


def audience_text(followers: int | None) -> str:
    """``12.4k followers``, ``830 followers`` or ``audience unknown``."""
    if followers is None:
        return "audience unknown"
    if followers >= 1_000_000:
        return f"{followers / 1_000_000:.1f}M followers"
    if followers >= 10_000:
        return f"{followers / 1000:.0f}k followers"
    if followers >= 1_000:
        return f"{followers / 1000:.1f}k followers"
    return f"{followers} followers"


def card_headline(card: Card) -> str:
    """``Display Name (@handle) · 12.4k followers``."""
    author = card.item.author
    name = author.display_name or author.handle
    return f"{name} (@{author.handle}) · {audience_text(author.followers_count)}"
