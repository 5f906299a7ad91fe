"""Print the demo's digest in the terminal with rich."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from bot.demo._pipeline import DemoResult
from bot.demo._text import SECTION_TITLES, card_headline, waiting_text
from cogs.ports import Card, Section

_PLATFORM_STYLE = {"bluesky": "bold dodger_blue2", "x": "bold white"}
_EXCERPT = 220


def _card_panel(card: Card, drafts: tuple[str, ...] | list[str]) -> Panel:
    item = card.item
    body = Text()
    body.append(item.platform.value, style=_PLATFORM_STYLE.get(item.platform.value, "bold"))
    body.append(f" · {item.kind} · waiting {waiting_text(card.waiting)}", style="dim")
    if item.url:
        body.append(f"\n{item.url}", style="dim underline")
    if item.text:
        excerpt = item.text if len(item.text) <= _EXCERPT else item.text[: _EXCERPT - 1] + "…"
        body.append(f"\n“{excerpt}”", style="italic")
    if card.reasons or card.breach:
        body.append("\n")
        for reason in card.reasons:
            body.append(f" {reason} ", style="black on grey82")
            body.append(" ")
        if card.breach:
            body.append(f" SLA {card.breach} ", style="bold white on red3")
    shown = list(drafts) or ([card.draft] if card.draft else [])
    for n, draft in enumerate(shown, start=1):
        body.append(f"\n  {n}. ", style="bold green")
        body.append(draft)
    return Panel(body, title=card_headline(card), title_align="left", border_style="grey50")


def print_demo(result: DemoResult, console: Console | None = None) -> None:
    """Print headline figures, the three sections with reasons and drafts, and where it went."""
    console = console or Console()
    page = result.page
    figures = Table.grid(padding=(0, 2))
    figures.add_column(style="dim", no_wrap=True)
    figures.add_column()
    for figure in page.figures:
        value = Text(figure.value, style="bold")
        if figure.delta:
            value.append(f"  {figure.delta}", style="dim")
        figures.add_row(figure.label, value)
    header: list[Text | Table] = [figures]
    for breach in page.breaches:
        header.append(Text(f"⚠ {breach}", style="bold red"))
    if page.budget:
        header.append(Text(f"X budget: {page.budget}", style="cyan"))
    console.print(Panel(Group(*header), title=page.title, border_style="bold magenta"))
    for section in Section:
        indexed = [(i, c) for i, c in enumerate(page.cards) if c.section is section]
        total = page.section_totals.get(section, len(indexed))
        console.rule(f"[bold]{SECTION_TITLES[section]}[/] ({total})")
        if not indexed:
            console.print("  nothing for this period", style="dim")
        for i, card in indexed:
            console.print(_card_panel(card, list(result.drafts.get(i, ()))))
        if total > len(indexed):
            console.print(f"  … and {total - len(indexed)} more", style="dim italic")
    stored = ", ".join(
        f"{platform} {result.ingested.get(platform, 0)}/{count}"
        for platform, count in sorted(result.generated.items())
    )
    console.rule()
    console.print(
        f"{result.cycles} poll cycles over {result.simulated} of simulated launch day; "
        f"stored vs generated: {stored}."
    )
    console.print(f"Drafts: {result.drafts_source}.")
    console.print(f"HTML digest: [bold]{result.html_path}[/]")
    console.print(
        f"Posted {result.webhook_messages} Discord message(s) to the {result.webhook_target}."
    )
