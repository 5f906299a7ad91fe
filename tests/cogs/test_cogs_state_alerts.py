import asyncio
from datetime import timedelta

from _discord_cards import T0, card

from cogs import _limits
from cogs.alerts import AlertBatcher, alert_message
from cogs.ports import ItemStatus
from cogs.state import claim_generation, state_from_actions
from engagement.models import ActionKind, ActionRecord, ActionStatus, Platform


def act(kind, who="1", minutes=0, status=ActionStatus.CONFIRMED, **kw):
    return ActionRecord(
        idempotency_key=f"{kind}-{who}-{minutes}",
        kind=kind,
        status=status,
        actor_id=who,
        actor_name=f"user{who}",
        created_at=T0 + timedelta(minutes=minutes),
        platform=Platform.BLUESKY,
        interaction_id="at://x",
        **kw,
    )


def test_state_rules():
    now = T0 + timedelta(hours=1)
    assert state_from_actions([], now).status is ItemStatus.OPEN
    claimed = state_from_actions([act(ActionKind.CLAIMED, "1")], now)
    assert (claimed.status, claimed.by_name) == (ItemStatus.CLAIMED, "user1")
    # Only the holder's unclaim releases.
    other = [act(ActionKind.CLAIMED, "1"), act(ActionKind.UNCLAIMED, "2", 1)]
    assert state_from_actions(other, now).status is ItemStatus.CLAIMED
    own = [act(ActionKind.CLAIMED, "1"), act(ActionKind.UNCLAIMED, "1", 1)]
    assert state_from_actions(own, now).status is ItemStatus.OPEN
    assert claim_generation(own) == 1
    # A pending answer is somebody posting right now; a failed one is nothing.
    pending = state_from_actions([act(ActionKind.ANSWERED, "3", status=ActionStatus.PENDING)], now)
    assert (pending.status, pending.by_id) == (ItemStatus.CLAIMED, "3")
    failed = [act(ActionKind.ANSWERED, "3", status=ActionStatus.FAILED)]
    assert state_from_actions(failed, now).status is ItemStatus.OPEN
    answered = state_from_actions(
        [act(ActionKind.CLAIMED, "1"), act(ActionKind.ANSWERED, "1", 2, text="Merci !")], now
    )
    assert (answered.status, answered.text) == (ItemStatus.ANSWERED, "Merci !")
    snooze = [act(ActionKind.SNOOZED, "1", snooze_until=T0 + timedelta(hours=2))]
    assert state_from_actions(snooze, now).status is ItemStatus.SNOOZED
    assert state_from_actions(snooze, T0 + timedelta(hours=3)).status is ItemStatus.OPEN
    liked_only = [act(ActionKind.LIKED, "1")]
    assert state_from_actions(liked_only, now).status is ItemStatus.OPEN


async def test_a_burst_becomes_one_message():
    sent = []

    async def send(cards, notes):
        sent.append((cards, notes))

    batcher = AlertBatcher(send, window_s=0.05)
    for i in range(30):
        batcher.add(cards=[card(i)])
    batcher.add(cards=[card(1)])  # repeated item: not twice
    batcher.add(notes=["x: budget reached", "x: budget reached"])
    assert batcher.pending == 31
    await asyncio.sleep(0.2)
    assert len(sent) == 1
    cards, notes = sent[0]
    assert len(cards) == 30
    assert notes == ["x: budget reached"]
    batcher.add(cards=[card(99)])
    await batcher.aclose()
    assert len(sent) == 2
    assert batcher.pending == 0


async def test_batcher_survives_a_failing_send():
    calls = 0

    async def send(cards, notes):
        nonlocal calls
        calls += 1
        raise RuntimeError("discord down")

    batcher = AlertBatcher(send, window_s=10)
    batcher.add(cards=[card(1)])
    await batcher.aclose()
    assert calls == 1
    assert batcher.pending == 1  # kept, not lost


class Sends:
    """A send function recording what it sends; tests wait on it, never on the clock."""

    def __init__(self, fail_first: int = 0) -> None:
        self.attempts: list[tuple[list[object], list[str]]] = []
        self.fail_first = fail_first
        self.hold: asyncio.Event | None = None  # set: sends wait for it
        self.started = asyncio.Event()
        self._changed = asyncio.Event()

    async def __call__(self, cards, notes):
        self.started.set()
        if self.hold is not None:
            await self.hold.wait()
        self.attempts.append(([c.key for c in cards], list(notes)))
        self._changed.set()
        if len(self.attempts) <= self.fail_first:
            raise RuntimeError("503 from Discord")

    async def until(self, count: int) -> None:
        async with asyncio.timeout(5):
            while len(self.attempts) < count:
                self._changed.clear()
                await self._changed.wait()


async def test_alerts_arriving_during_a_send_go_out_without_a_further_alert():
    sends = Sends()
    sends.hold = asyncio.Event()  # the first send is slow (a Discord rate limit…)
    batcher = AlertBatcher(sends, window_s=0.01)
    batcher.add(cards=[card(1)])
    await asyncio.wait_for(sends.started.wait(), 5)
    batcher.add(cards=[card(2)], notes=["x: budget reached"])  # during the send
    sends.hold.set()
    # Nothing else arrives: the late items still go out, in a second message.
    await sends.until(2)
    assert sends.attempts == [([card(1).key], []), ([card(2).key], ["x: budget reached"])]
    assert batcher.pending == 0
    await batcher.aclose()
    assert len(sends.attempts) == 2


async def test_a_failed_send_is_retried_with_what_came_since():
    sends = Sends(fail_first=2)
    batcher = AlertBatcher(sends, window_s=0.01, retry_s=0.01)
    batcher.add(cards=[card(1)], notes=["bluesky: session expired"])
    await sends.until(1)
    batcher.add(cards=[card(2), card(1)], notes=["bluesky: session expired", "x: budget"])
    await sends.until(3)
    # Tried again (twice), never lost: the failed batch first, then what came meanwhile,
    # nothing repeated.
    assert sends.attempts[1] == sends.attempts[2]
    assert sends.attempts[2] == (
        [card(1).key, card(2).key],
        ["bluesky: session expired", "x: budget"],
    )
    assert batcher.pending == 0
    await batcher.aclose()
    assert len(sends.attempts) == 3


async def test_closing_waits_for_a_send_in_progress():
    sends = Sends()
    sends.hold = asyncio.Event()
    batcher = AlertBatcher(sends, window_s=0.01)
    batcher.add(cards=[card(1)])
    await asyncio.wait_for(sends.started.wait(), 5)  # taken by the send in progress
    batcher.add(cards=[card(2)])
    closing = asyncio.create_task(batcher.aclose())
    await asyncio.sleep(0.02)
    assert not closing.done()
    sends.hold.set()
    await asyncio.wait_for(closing, 5)
    assert [keys for keys, _ in sends.attempts] == [[card(1).key], [card(2).key]]
    assert batcher.pending == 0


def test_alert_message_fits_one_message_and_says_what_is_left():
    cards = [card(i, text="Urgent " * 200) for i in range(40)]
    message = alert_message(cards, ["bluesky: session expired"])
    assert 1 <= len(message.embeds) <= 10
    assert sum(len(e) for e in message.embeds) <= _limits.EMBED_TOTAL
    assert "40 urgent item(s)" in message.content
    assert f"and {40 - len(message.embeds)} more" in message.content
    assert message.card is None
    single = alert_message([card(1)], [])
    assert single.card is not None
