"""``com.atproto.repo.*``: createRecord, deleteRecord and getRecord for the brand's repo."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import regex
from aiohttp import web

from engagement.models import Platform
from sandbox._control import json_response
from sandbox._ids import at_uri, record_cid, tid
from sandbox.bluesky._auth import Auth
from sandbox.bluesky._store import POST_NSID, Post, Store
from sandbox.bluesky._xrpc import XrpcError, invalid, json_body, str_param, xrpc_handler

__all__ = ["add_write_routes"]

_RKEY = re.compile(r"^[A-Za-z0-9._:~-]{1,512}$")
_WRITABLE = {POST_NSID, "app.bsky.feed.like", "app.bsky.feed.repost", "app.bsky.graph.follow"}
_TYPES = {
    POST_NSID: "post",
    "app.bsky.feed.like": "like",
    "app.bsky.feed.repost": "repost",
    "app.bsky.graph.follow": "follow",
}
_CREATE = "com.atproto.repo.createRecord"
_DELETE = "com.atproto.repo.deleteRecord"


def _bad_record(collection: str, message: str) -> XrpcError:
    return invalid(f"Invalid {collection} record: {message}")


def _check_datetime(collection: str, record: dict[str, Any]) -> None:
    value = record.get("createdAt")
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        parsed = None
    if not isinstance(value, str) or parsed is None or parsed.tzinfo is None:
        raise _bad_record(collection, "Record/createdAt must be an valid atproto datetime")


def _strong_ref(store: Store, value: Any, path: str, collection: str) -> Post:
    if not isinstance(value, dict) or not all(
        isinstance(value.get(k), str) for k in ("uri", "cid")
    ):
        raise _bad_record(collection, f"{path} must be a strong ref with uri and cid")
    post = store.post(value["uri"])
    if post is None:
        raise _bad_record(collection, f"{path}/uri {value['uri']} does not exist")
    if post.cid != value["cid"]:
        raise _bad_record(collection, f"{path}/cid does not match the record at {post.uri}")
    return post


def _check_post(store: Store, record: dict[str, Any]) -> None:
    text = record.get("text")
    if not isinstance(text, str):
        raise _bad_record(POST_NSID, 'Record must have the property "text"')
    if len(text.encode()) > 3000:
        raise _bad_record(POST_NSID, "Record/text must not be longer than 3000 characters")
    if len(regex.findall(r"\X", text)) > 300:
        raise _bad_record(POST_NSID, "Record/text must not be longer than 300 graphemes")
    _check_datetime(POST_NSID, record)
    langs = record.get("langs", [])
    if not isinstance(langs, list) or len(langs) > 3 or not all(isinstance(x, str) for x in langs):
        raise _bad_record(POST_NSID, "Record/langs must be an array of at most 3 languages")
    reply = record.get("reply")
    if reply is not None:
        if not isinstance(reply, dict):
            raise _bad_record(POST_NSID, "Record/reply must be an object")
        root = _strong_ref(store, reply.get("root"), "Record/reply/root", POST_NSID)
        parent = _strong_ref(store, reply.get("parent"), "Record/reply/parent", POST_NSID)
        if (parent.root or parent) is not root:
            raise _bad_record(POST_NSID, "Record/reply/root is not the root of the parent's thread")
    embed = record.get("embed")
    if isinstance(embed, dict) and embed.get("$type") == "app.bsky.embed.record":
        _strong_ref(store, embed.get("record"), "Record/embed/record", POST_NSID)


def add_write_routes(app: web.Application, store: Store, auth: Auth) -> None:
    """Register the repo write endpoints (the brand's repo only)."""
    world = store.world

    def repo_did(request: web.Request, repo: Any) -> str:
        claims = auth.access(request, world.auth_now())
        persona = store.actor(repo) if isinstance(repo, str) else None
        if persona is None:
            raise invalid(f"Could not find repo: {repo}")
        if persona.bsky_did != claims.did:
            raise XrpcError(401, "AuthenticationRequired", "Authentication Required")
        return claims.did

    def spend(endpoint: str, did: str, points: int) -> dict[str, str]:
        try:
            return auth.write_limit.check(did, world.auth_now(), points)
        except XrpcError:
            world.note_rate_limited(endpoint)
            raise

    def commit() -> dict[str, str]:
        rev = tid(world.now(), 1)
        return {"cid": record_cid({"rev": rev}), "rev": rev}

    @xrpc_handler
    async def create_record(request: web.Request) -> web.StreamResponse:
        body = await json_body(request)
        did = repo_did(request, body.get("repo"))
        collection, record, rkey = body.get("collection"), body.get("record"), body.get("rkey")
        if body.get("validate") is False:
            raise invalid("Unvalidated writes are not yet supported.")
        if not isinstance(collection, str) or collection not in _WRITABLE:
            raise invalid(f"The sandbox does not write records of collection {collection}")
        if not isinstance(record, dict):
            raise invalid('Error: Input must have the property "record"')
        if record.get("$type") != collection:
            raise invalid(f"Invalid $type: expected {collection}, got {record.get('$type')}")
        if rkey is not None and (
            not isinstance(rkey, str) or not _RKEY.match(rkey) or rkey in {".", ".."}
        ):
            raise invalid("Error: Input/rkey must be a valid Record Key")
        key = rkey or tid(world.now(), len(world.written) % 1024)
        uri = at_uri(did, collection, key)
        if uri in store.posts or uri in store.links:
            raise invalid(f"Record already exists at {uri}")
        if collection == POST_NSID:
            _check_post(store, record)
        elif collection == "app.bsky.graph.follow":
            _check_datetime(collection, record)
            if not isinstance(record.get("subject"), str) or not store.actor(record["subject"]):
                raise _bad_record(collection, "Record/subject must be a known DID")
        else:
            _check_datetime(collection, record)
            _strong_ref(store, record.get("subject"), "Record/subject", collection)
        headers = spend(_CREATE, did, 3)
        if collection == POST_NSID:
            post = store.add_post(did, key, record)
            reply = record.get("reply") or {}
            world.record_write(
                Platform.BLUESKY,
                "post",
                post.uri,
                post.text,
                reply.get("root", {}).get("uri"),
                reply.get("parent", {}).get("uri"),
                cid=post.cid,
            )
            uri, cid = post.uri, post.cid
        else:
            subject = record["subject"]
            target = subject if isinstance(subject, str) else subject["uri"]
            for old in store.backlinks(did, collection, target):  # the PDS keeps only one
                store.delete(old)
                world.record_write(Platform.BLUESKY, "delete", old.uri)
            link = store.add_link(did, collection, key, record)
            world.record_write(
                Platform.BLUESKY,
                _TYPES[collection],
                link.uri,
                None,
                None,
                None,
                subject=target,
                cid=link.cid,
            )
            uri, cid = link.uri, link.cid
        return json_response(
            {"uri": uri, "cid": cid, "commit": commit(), "validationStatus": "valid"},
            headers=headers,
        )

    @xrpc_handler
    async def delete_record(request: web.Request) -> web.StreamResponse:
        body = await json_body(request)
        did = repo_did(request, body.get("repo"))
        collection, rkey = body.get("collection"), body.get("rkey")
        if not isinstance(collection, str) or not isinstance(rkey, str):
            raise invalid("Error: Input must have the properties collection and rkey")
        headers = spend(_DELETE, did, 1)
        item = store.existing(at_uri(did, collection, rkey))
        if item is not None:
            store.delete(item)
            world.record_write(Platform.BLUESKY, "delete", item.uri)
        return json_response({"commit": commit()}, headers=headers)

    @xrpc_handler
    async def get_record(request: web.Request) -> web.StreamResponse:
        repo = str_param(request, "repo", required=True) or ""
        collection = str_param(request, "collection", required=True) or ""
        rkey = str_param(request, "rkey", required=True) or ""
        persona = store.actor(repo)
        uri = at_uri(persona.bsky_did if persona else repo, collection, rkey)
        item = store.existing(uri)
        if item is None:
            raise XrpcError(400, "RecordNotFound", f"Could not locate record: {uri}")
        return json_response({"uri": item.uri, "cid": item.cid, "value": item.record})

    app.router.add_post(f"/xrpc/{_CREATE}", create_record)
    app.router.add_post(f"/xrpc/{_DELETE}", delete_record)
    app.router.add_get("/xrpc/com.atproto.repo.getRecord", get_record)
