"""A lexicon-driven validator for XRPC responses, built on the atproto package's own parser.

Every rule comes from the lexicon files (parsed with ``atproto_lexicon``): objects and their
``required``/``nullable`` fields, refs (``#local``, ``nsid``, ``nsid#def``), open and closed unions
by ``$type``, arrays, integer bounds, string ``maxLength``/``maxGraphemes``/``enum``/``const`` and
formats (checked with ``atproto_client``'s strict string-format validators; CIDs are decoded).
``unknown`` values carrying a known record ``$type`` are validated as that record.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import regex
from atproto_client.models import string_formats as sf
from atproto_core.cid import CID
from atproto_lexicon import models as lex
from atproto_lexicon.parser import lexicon_parse_dir

# Errors any XRPC method may answer (xrpc-server's own plus the PDS auth layer's).
GENERIC_ERRORS = {
    "InvalidRequest",
    "ExpiredToken",
    "InvalidToken",
    "AuthMissing",
    "AuthenticationRequired",
    "RateLimitExceeded",
    "MethodNotImplemented",
    "InternalServerError",
    "NotFound",
}


def _strict(fn: Callable[..., str]) -> Callable[[str], object]:
    raw = getattr(fn, "__wrapped__", fn)
    return lambda value: raw(value, None)


def _cid(value: str) -> object:
    sf.validate_cid.__wrapped__(value, None)  # type: ignore[attr-defined]
    return CID.decode(value)


def _at_identifier(value: str) -> object:
    return (_strict(sf.validate_did) if value.startswith("did:") else _strict(sf.validate_handle))(
        value
    )


FORMATS: dict[str, Callable[[str], object]] = {
    "at-uri": _strict(sf.validate_at_uri),
    "did": _strict(sf.validate_did),
    "cid": _cid,
    "datetime": _strict(sf.validate_datetime),
    "handle": _strict(sf.validate_handle),
    "nsid": _strict(sf.validate_nsid),
    "language": _strict(sf.validate_language),
    "record-key": _strict(sf.validate_record_key),
    "tid": _strict(sf.validate_tid),
    "uri": _strict(sf.validate_uri),
    "at-identifier": _at_identifier,
}


def _norm(ref: str) -> str:
    return ref[: -len("#main")] if ref.endswith("#main") else ref


class LexiconValidator:
    """Validates JSON values against the definitions of a lexicon directory."""

    def __init__(self, lexicon_dir: Path) -> None:
        self.defs: dict[str, Any] = {}
        for doc in lexicon_parse_dir(lexicon_dir):
            for name, definition in doc.defs.items():
                self.defs[doc.id if name == "main" else f"{doc.id}#{name}"] = definition

    # -- entry points --------------------------------------------------------------------------
    def method(self, nsid: str) -> Any:
        """The query or procedure definition of ``nsid``."""
        return self.defs[nsid]

    def output_errors(self, nsid: str, body: Any) -> list[str]:
        """Problems of ``body`` as the output of method ``nsid``."""
        method = self.method(nsid)
        errors: list[str] = []
        if method.output is None or method.output.schema_ is None:
            if body not in (None, b"", {}):
                errors.append(f"{nsid}: has no output but returned {body!r:.80}")
            return errors
        self._check(body, method.output.schema_, nsid, nsid, errors)
        return errors

    def error_errors(self, nsid: str, body: Any) -> list[str]:
        """Problems of an XRPC error body for ``nsid``."""
        if not isinstance(body, dict) or not isinstance(body.get("error"), str):
            return [f"{nsid}: error body without an error name: {body!r:.80}"]
        if not isinstance(body.get("message"), str):
            return [f"{nsid}: error body without a message"]
        known = {e.name for e in (getattr(self.method(nsid), "errors", None) or [])}
        if body["error"] not in known | GENERIC_ERRORS:
            return [f"{nsid}: error {body['error']} is neither generic nor in the lexicon"]
        return []

    def record_errors(self, value: Any, path: str = "record") -> list[str]:
        """Problems of a record (its ``$type`` names the record lexicon)."""
        errors: list[str] = []
        nsid = value.get("$type") if isinstance(value, dict) else None
        definition = self.defs.get(nsid or "")
        if not isinstance(definition, lex.LexRecord):
            return [f"{path}: not a known record type: {nsid}"]
        self._check(value, definition.record, str(nsid), path, errors)
        return errors

    # -- walking --------------------------------------------------------------------------------
    def _resolve(self, ref: str, context: str) -> tuple[str, Any]:
        base = context.split("#")[0]
        full = f"{base}{ref}" if ref.startswith("#") else ref
        full = _norm(full)
        if full not in self.defs:
            raise KeyError(f"unresolvable ref {ref} from {context}")
        return full, self.defs[full]

    def _check(self, value: Any, schema: Any, context: str, path: str, errors: list[str]) -> None:
        if isinstance(schema, lex.LexRef):
            target_id, target = self._resolve(schema.ref, context)
            self._check(value, target, target_id, path, errors)
        elif isinstance(schema, lex.LexRefUnion):
            self._union(value, schema, context, path, errors)
        elif isinstance(schema, lex.LexObject):
            self._object(value, schema, context, path, errors)
        elif isinstance(schema, lex.LexRecord):
            self._object(value, schema.record, context, path, errors)
        elif isinstance(schema, lex.LexArray):
            self._array(value, schema, context, path, errors)
        elif isinstance(schema, lex.LexString):
            self._string(value, schema, path, errors)
        elif isinstance(schema, lex.LexInteger):
            self._integer(value, schema, path, errors)
        elif isinstance(schema, lex.LexBoolean):
            if not isinstance(value, bool):
                errors.append(f"{path}: expected boolean, got {type(value).__name__}")
        elif isinstance(schema, lex.LexUnknown):
            if not isinstance(value, dict):
                errors.append(f"{path}: unknown must be an object")
            elif isinstance(self.defs.get(value.get("$type", "")), lex.LexRecord):
                errors.extend(self.record_errors(value, path))
        elif isinstance(schema, lex.LexToken):
            if value != context:
                errors.append(f"{path}: expected token {context}")
        elif isinstance(schema, lex.LexCidLink):
            if not isinstance(value, dict) or "$link" not in value:
                errors.append(f"{path}: expected a cid-link")
        elif isinstance(schema, lex.LexBlob | lex.LexBytes):
            if not isinstance(value, dict):
                errors.append(f"{path}: expected a blob/bytes object")
        else:
            errors.append(f"{path}: unsupported schema {type(schema).__name__}")

    def _object(
        self, value: Any, schema: lex.LexObject, context: str, path: str, errors: list[str]
    ) -> None:
        if not isinstance(value, dict):
            errors.append(f"{path}: expected object, got {type(value).__name__}")
            return
        nullable = set(schema.nullable or [])
        for name in schema.required or []:
            if name not in value:
                errors.append(f"{path}: missing required field {name!r}")
        for name, prop in schema.properties.items():
            if name not in value:
                continue
            if value[name] is None:
                if name not in nullable:
                    errors.append(f"{path}.{name}: null is not allowed")
                continue
            self._check(value[name], prop, context, f"{path}.{name}", errors)

    def _union(
        self, value: Any, schema: lex.LexRefUnion, context: str, path: str, errors: list[str]
    ) -> None:
        if not isinstance(value, dict) or not isinstance(value.get("$type"), str):
            errors.append(f"{path}: union member without $type")
            return
        wanted = _norm(value["$type"])
        refs = {self._resolve(ref, context)[0] for ref in schema.refs}
        if wanted in refs:
            self._check(value, self.defs[wanted], wanted, path, errors)
        elif schema.closed:
            errors.append(f"{path}: $type {wanted} not in closed union {sorted(refs)}")

    def _array(
        self, value: Any, schema: lex.LexArray, context: str, path: str, errors: list[str]
    ) -> None:
        if not isinstance(value, list):
            errors.append(f"{path}: expected array, got {type(value).__name__}")
            return
        if schema.max_length is not None and len(value) > schema.max_length:
            errors.append(f"{path}: more than {schema.max_length} items")
        if schema.min_length is not None and len(value) < schema.min_length:
            errors.append(f"{path}: fewer than {schema.min_length} items")
        for index, item in enumerate(value):
            self._check(item, schema.items, context, f"{path}[{index}]", errors)

    def _string(self, value: Any, schema: lex.LexString, path: str, errors: list[str]) -> None:
        if not isinstance(value, str):
            errors.append(f"{path}: expected string, got {type(value).__name__}")
            return
        size = len(value.encode())
        if schema.max_length is not None and size > schema.max_length:
            errors.append(f"{path}: longer than {schema.max_length} bytes")
        if schema.min_length is not None and size < schema.min_length:
            errors.append(f"{path}: shorter than {schema.min_length} bytes")
        if schema.max_graphemes is not None or schema.min_graphemes is not None:
            graphemes = len(regex.findall(r"\X", value))
            if schema.max_graphemes is not None and graphemes > schema.max_graphemes:
                errors.append(f"{path}: more than {schema.max_graphemes} graphemes")
            if schema.min_graphemes is not None and graphemes < schema.min_graphemes:
                errors.append(f"{path}: fewer than {schema.min_graphemes} graphemes")
        if schema.enum is not None and value not in schema.enum:
            errors.append(f"{path}: {value!r} not in enum")
        if schema.const is not None and value != schema.const:
            errors.append(f"{path}: {value!r} is not the constant {schema.const!r}")
        if schema.format is not None:
            check = FORMATS.get(schema.format)
            if check is None:
                errors.append(f"{path}: unknown format {schema.format}")
                return
            try:
                check(value)
            except ValueError as exc:
                errors.append(f"{path}: bad {schema.format} {value!r}: {exc}")

    def _integer(self, value: Any, schema: lex.LexInteger, path: str, errors: list[str]) -> None:
        if not isinstance(value, int) or isinstance(value, bool):
            errors.append(f"{path}: expected integer, got {type(value).__name__}")
            return
        if schema.minimum is not None and value < schema.minimum:
            errors.append(f"{path}: below minimum {schema.minimum}")
        if schema.maximum is not None and value > schema.maximum:
            errors.append(f"{path}: above maximum {schema.maximum}")
        if schema.enum is not None and value not in schema.enum:
            errors.append(f"{path}: {value} not in enum")
