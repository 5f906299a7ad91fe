"""The X writer: reply, like, repost and their undo. Network only; checks live in the publisher."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from watchers.x._client import XClient
from watchers.x._errors import XRequestError, XTransientError

TWEETS_ENDPOINT = "POST /2/tweets"
DELETE_TWEET_ENDPOINT = "DELETE /2/tweets/:id"
LIKE_ENDPOINT = "POST /2/users/:id/likes"
UNLIKE_ENDPOINT = "DELETE /2/users/:id/likes/:tweet_id"
REPOST_ENDPOINT = "POST /2/users/:id/retweets"
UNREPOST_ENDPOINT = "DELETE /2/users/:id/retweets/:source_tweet_id"
ME_ENDPOINT = "GET /2/users/me"
SEARCH_ENDPOINT = "GET /2/tweets/search/recent"

_URL = re.compile(r"https?://\S+")


def same_text(a: str, b: str) -> bool:
    """Whether two post texts say the same, ignoring how X rewrote links (``t.co``)."""

    def norm(text: str) -> str:
        return " ".join(_URL.sub("<url>", text).split())

    return norm(a) == norm(b)


@dataclass(frozen=True, slots=True)
class XUser:
    """The authenticated account, from ``GET /2/users/me``."""

    id: str
    username: str
    name: str = ""


def _data(payload: Mapping[str, Any]) -> Mapping[str, Any]:
    data = payload.get("data")
    if not isinstance(data, Mapping):
        raise XTransientError("X answered without a data object")
    return data


async def get_me(client: XClient) -> XUser:
    """Who the user token belongs to (not available to app-only bearer tokens)."""
    response = await client.request(
        "GET", "/2/users/me", endpoint=ME_ENDPOINT, params={"user.fields": "username,name"}
    )
    data = _data(response.payload)
    return XUser(str(data["id"]), str(data.get("username", "")), str(data.get("name", "")))


class XWriter:
    """Writes as the brand account (needs a user token).

    Args:
        client: A client whose auth can write.
        user_id: The brand account's X user id.
    """

    def __init__(self, client: XClient, user_id: str) -> None:
        self.client = client
        self.user_id = user_id

    async def reply(self, text: str, in_reply_to: str) -> str:
        """Post ``text`` as a reply to post ``in_reply_to``; returns the new post's id."""
        body = {"text": text, "reply": {"in_reply_to_tweet_id": in_reply_to}}
        response = await self.client.request(
            "POST", "/2/tweets", endpoint=TWEETS_ENDPOINT, json_body=body
        )
        return str(_data(response.payload)["id"])

    async def find_reply(self, in_reply_to: str, conversation_id: str, text: str) -> str | None:
        """The id of the brand's reply ``text`` to ``in_reply_to``, if X shows one.

        Searches the last 7 days (``conversation_id:<id> from:<user id>``), so an unclear
        earlier attempt can be confirmed instead of posted twice. ``None`` does not prove the
        reply is absent (search lags a little behind writes).
        """
        params = {
            "query": f"conversation_id:{conversation_id} from:{self.user_id}",
            "tweet.fields": "referenced_tweets,conversation_id",
            "max_results": "100",
        }
        response = await self.client.request(
            "GET", "/2/tweets/search/recent", endpoint=SEARCH_ENDPOINT, params=params
        )
        posts = response.payload.get("data")
        for post in posts if isinstance(posts, list) else []:
            if not isinstance(post, Mapping):
                continue
            refs = post.get("referenced_tweets")
            replied = any(
                isinstance(ref, Mapping)
                and ref.get("type") == "replied_to"
                and str(ref.get("id")) == in_reply_to
                for ref in (refs if isinstance(refs, list) else [])
            )
            if replied and same_text(str(post.get("text", "")), text):
                return str(post["id"])
        return None

    async def delete_post(self, post_id: str) -> None:
        """Delete one of the brand's posts (undo of a reply)."""
        await self.client.request("DELETE", f"/2/tweets/{post_id}", endpoint=DELETE_TWEET_ENDPOINT)

    async def like(self, post_id: str) -> None:
        """Like post ``post_id``."""
        await self._toggle("POST", f"/2/users/{self.user_id}/likes", LIKE_ENDPOINT, post_id)

    async def unlike(self, post_id: str) -> None:
        """Remove the brand's like of ``post_id``."""
        path = f"/2/users/{self.user_id}/likes/{post_id}"
        await self._toggle("DELETE", path, UNLIKE_ENDPOINT, None)

    async def repost(self, post_id: str) -> None:
        """Repost post ``post_id``."""
        await self._toggle("POST", f"/2/users/{self.user_id}/retweets", REPOST_ENDPOINT, post_id)

    async def unrepost(self, post_id: str) -> None:
        """Remove the brand's repost of ``post_id``."""
        path = f"/2/users/{self.user_id}/retweets/{post_id}"
        await self._toggle("DELETE", path, UNREPOST_ENDPOINT, None)

    async def _toggle(self, method: str, path: str, endpoint: str, post_id: str | None) -> None:
        body = {"tweet_id": post_id} if post_id is not None else None
        response = await self.client.request(method, path, endpoint=endpoint, json_body=body)
        data = _data(response.payload)
        if not any(isinstance(value, bool) for value in data.values()):
            raise XRequestError(response.status, f"unexpected answer to {endpoint}: {dict(data)}")
