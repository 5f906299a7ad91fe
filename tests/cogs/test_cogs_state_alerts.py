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
