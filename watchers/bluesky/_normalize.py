"""Turn ``listNotifications`` items into :class:`InteractionRecord`s, one item at a time.

Each item is validated on its own (the SDK would reject the whole page for one bad item), so a
malformed notification is skipped with a warning naming it and the rest of the page is kept.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from atproto_client import models
from atproto_client.exceptions import ModelError
from atproto_client.models.utils import get_or_create
from pydantic import ValidationError

from engagement.models import Author, InteractionKind, InteractionRecord, Platform, PostRef
from watchers.bluesky._kinds import kind_for_reason
from watchers.bluesky._records import (
    parse_datetime,
    post_text,
    primary_language,
    profile_url,
    quoted_ref,
    reply_refs,
    strong_ref,
    web_url,
)

log = logging.getLogger(__name__)

_Notification = models.AppBskyNotificationListNotifications.Notification


@dataclass(frozen=True, slots=True)
class Notice:
    """One notification that passed validation, with what normalization needs.

    Attributes:
        uri: The notification's AT-URI (the interacting record).
        cid: Its CID.
        reason: Bluesky's reason, verbatim.
        indexed_at: When Bluesky indexed it (UTC).
        author: The author as the notification describes it (no audience counts).
        record: The interacting record (raw JSON).
        reason_subject: The brand's record it is about, if Bluesky says so.
        raw: The whole raw item.
    """

    uri: str
    cid: str
    reason: str
    indexed_at: datetime
    author: Author
    record: Mapping[str, Any]
    reason_subject: str | None
    raw: Mapping[str, Any]

    @property
    def key(self) -> tuple[datetime, str]:
        """Ordering key: newest indexedAt, then URI."""
        return (self.indexed_at, self.uri)


def _describe(raw: object) -> str:
    if isinstance(raw, Mapping):
        return f"{raw.get('uri', '<no uri>')} (reason {raw.get('reason', '?')!r})"
    return f"<{type(raw).__name__}>"


def parse_notice(raw: object) -> Notice | None:
    """Validate one raw notification against the lexicon model; ``None`` (warned) if malformed."""
    try:
        if not isinstance(raw, Mapping):
            raise ModelError("not a JSON object")
        model = get_or_create(dict(raw), _Notification, strict=True)
        if not isinstance(model, _Notification):
            raise ModelError("not a notification")
        indexed_at = parse_datetime(raw.get("indexedAt"))
        record = raw.get("record")
        if indexed_at is None:
            raise ModelError(f"bad indexedAt {raw.get('indexedAt')!r}")
        if not isinstance(record, Mapping):
            raise ModelError("record is not an object")
        author = _author_from_view(model.author)
    except (ModelError, ValidationError, ValueError, TypeError, AttributeError) as exc:
        log.warning("bluesky: skipping malformed notification %s: %s", _describe(raw), exc)
        return None
    return Notice(
        uri=str(model.uri),
        cid=str(model.cid),
        reason=str(model.reason),
        indexed_at=indexed_at,
        author=author,
        record=record,
        reason_subject=str(model.reason_subject) if model.reason_subject else None,
        raw=raw,
    )


def _author_from_view(view: models.AppBskyActorDefs.ProfileView) -> Author:
    verification = view.verification
    return Author(
        platform=Platform.BLUESKY,
        platform_id=str(view.did),
        handle=str(view.handle),
        display_name=view.display_name or "",
        account_created_at=parse_datetime(view.created_at),
        description=view.description or "",
        verified=bool(verification and verification.verified_status == "valid"),
        avatar_url=view.avatar,
    )


def author_from_detailed(view: models.AppBskyActorDefs.ProfileViewDetailed) -> Author:
    """An :class:`Author` with audience counts from a ``getProfiles`` profile."""
    verification = view.verification
    return Author(
        platform=Platform.BLUESKY,
        platform_id=str(view.did),
        handle=str(view.handle),
        display_name=view.display_name or "",
        followers_count=view.followers_count,
        follows_count=view.follows_count,
        posts_count=view.posts_count,
        account_created_at=parse_datetime(view.created_at),
        description=view.description or "",
        verified=bool(verification and verification.verified_status == "valid"),
        avatar_url=view.avatar,
    )


def subject_of(notice: Notice) -> PostRef | None:
    """The brand's post the notification is about (liked, reposted, quoted, replied to)."""
    kind = InteractionKind.parse(kind_for_reason(notice.reason))
    ref: PostRef | None = None
    if kind in (InteractionKind.LIKE, InteractionKind.REPOST):
        ref = strong_ref(notice.record.get("subject"))
    elif kind is InteractionKind.QUOTE:
        ref = quoted_ref(notice.record)
    elif kind is InteractionKind.REPLY:
        ref = reply_refs(notice.record)[1]
    elif kind is None and notice.reason_subject:
        ref = strong_ref(notice.record.get("subject"))
    if ref is None and notice.reason_subject and kind is not InteractionKind.MENTION:
        ref = PostRef(notice.reason_subject)
    return ref


def to_record(
    notice: Notice,
    account_id: str,
    *,
    author: Author | None = None,
    subject_text: str | None = None,
) -> InteractionRecord:
    """Build the :class:`InteractionRecord` of ``notice``.

    Args:
        notice: The validated notification.
        account_id: The brand account's DID.
        author: The hydrated author (audience counts), else the notification's own view.
        subject_text: The text of the brand's post it is about, when hydrated.
    """
    kind = kind_for_reason(notice.reason)
    known = InteractionKind.parse(kind)
    is_post = notice.record.get("$type") == "app.bsky.feed.post" or (
        known is not None and known.has_text
    )
    root, parent = reply_refs(notice.record) if is_post else (None, None)
    subject = subject_of(notice)
    if known is InteractionKind.FOLLOW:
        url: str | None = profile_url(notice.author.platform_id)
    else:
        url = web_url(notice.uri) if is_post else (web_url(subject.id) if subject else None)
    return InteractionRecord(
        platform=Platform.BLUESKY,
        external_id=notice.uri,
        kind=kind,
        author=author or notice.author,
        account_id=account_id,
        created_at=parse_datetime(notice.record.get("createdAt")) or notice.indexed_at,
        indexed_at=notice.indexed_at,
        text=post_text(notice.record) if is_post else "",
        language=primary_language(notice.record) if is_post else None,
        cid=notice.cid,
        subject=subject,
        subject_text=subject_text,
        root=root,
        parent=parent,
        url=url,
        raw=dict(notice.raw),
    )
