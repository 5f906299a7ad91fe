"""A small subset of X's search query language, enough for discovery tests.

Supported: bare words and ``"quoted phrases"`` (case-insensitive, whole words), ``OR`` between
clauses, ``-`` negation, ``from:`` and ``to:`` (username or numeric id), ``conversation_id:``,
``in_reply_to_tweet_id:`` (alias ``in_reply_to_status_id:``), ``@user``, ``#tag``, ``lang:``,
``is:reply``, ``is:quote``, ``is:retweet``, ``has:links`` and ``has:mentions``. Parentheses are
ignored (clauses are read flat: ``a (b OR c)`` means ``a b OR c``). Queries over 512 characters are
refused, as X does.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from sandbox.x._errors import invalid_request
from sandbox.x._model import XPost, XUser

__all__ = ["MAX_QUERY", "compile_query"]

MAX_QUERY = 512
Matcher = Callable[[XPost], bool]
_TOKEN = re.compile(r'-?"[^"]*"|[^\s"]+')


def _word(term: str) -> Matcher:
    pattern = re.compile(r"(?<!\w)" + re.escape(term) + r"(?!\w)", re.IGNORECASE)
    return lambda post: pattern.search(post.text) is not None


def _term(token: str, users: dict[str, XUser]) -> Matcher:
    op, sep, arg = token.partition(":")
    op = op.lower()
    if sep and op in {"from", "to"}:
        # X takes a username or a numeric user id.
        user = users.get(arg.lower().lstrip("@"))
        user_id = arg if arg.isdigit() else (user.id if user is not None else None)
        if op == "from":
            return lambda post: user_id is not None and post.author_id == user_id
        return lambda post: user_id is not None and post.in_reply_to_user_id == user_id
    if sep and op == "conversation_id":
        return lambda post: post.conversation_id == arg
    if sep and op in {"in_reply_to_tweet_id", "in_reply_to_status_id"}:
        return lambda post: ("replied_to", arg) in post.referenced
    if sep and op == "lang":
        return lambda post: (post.lang or "und") == arg.lower()
    if sep and op == "is":
        kinds = {"reply": "replied_to", "quote": "quoted", "retweet": "retweeted"}
        if arg not in kinds:
            raise invalid_request("query", token, f"Unsupported operator value: {token}")
        kind = kinds[arg]
        return lambda post: any(k == kind for k, _ in post.referenced)
    if sep and op == "has":
        if arg == "links":
            return lambda post: "http://" in post.text or "https://" in post.text
        if arg == "mentions":
            return lambda post: bool(post.mentioned)
        raise invalid_request("query", token, f"Unsupported operator value: {token}")
    if token.startswith("@"):
        name = token[1:].lower()
        return lambda post: name in post.mentioned
    return _word(token)


def compile_query(query: str, users: dict[str, XUser]) -> Matcher:
    """Compile ``query`` into a predicate over posts (400 on an empty or too long query)."""
    if not query.strip():
        raise invalid_request("query", query, "The `query` query parameter can not be empty")
    if len(query) > MAX_QUERY:
        raise invalid_request(
            "query",
            query[:40],
            f"There were errors processing your request: Rule length "
            f"exceeds the max allowed value of {MAX_QUERY} characters",
        )
    if query.count('"') % 2:
        raise invalid_request("query", query, "Unbalanced quotes in query")
    tokens = [t.replace('"', "") for t in _TOKEN.findall(query.replace("(", " ").replace(")", " "))]
    clauses: list[list[tuple[bool, Matcher]]] = [[]]
    for token in tokens:
        if token == "OR":
            clauses.append([])
            continue
        negate = token.startswith("-") and len(token) > 1
        clauses[-1].append((negate, _term(token[1:] if negate else token, users)))
    clauses = [c for c in clauses if c]
    if not clauses:
        raise invalid_request("query", query, "The `query` query parameter can not be empty")

    def match(post: XPost) -> bool:
        return any(all(m(post) != neg for neg, m in clause) for clause in clauses)

    return match
