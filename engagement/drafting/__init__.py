"""Reply drafting: voice, templates, platform limits, LLM prompts and answer validation.

Pure: no I/O, no clock. Templates exist per intent and language (French, English).

Cogs and the runner depend on :class:`DraftProvider`; :class:`TemplateDrafter` is the
offline provider, and ``watchers.drafter.Drafter`` adds an OpenAI-compatible model with a
template fallback. Writers and the Discord modal re-validate with :func:`measure` and
:func:`fit_to_limit`.
"""

from __future__ import annotations

from engagement.drafting._from_item import intent_for, request_for
from engagement.drafting._limits import (
    ELLIPSIS,
    PLATFORM_LIMITS,
    fit_to_limit,
    fits,
    graphemes,
    length,
    limit_for,
    measure,
)
from engagement.drafting._models import (
    HANDLE_PREFIX_NEEDED,
    Draft,
    DraftProvider,
    DraftRequest,
    DraftSource,
    Formality,
    Intent,
    Tone,
    Voice,
)
from engagement.drafting._prompt import (
    DRAFT_COUNT,
    AnswerError,
    build_messages,
    draft_problem,
    finish_llm_draft,
    parse_answer,
)
from engagement.drafting._render import TemplateDrafter, template_drafts, template_language
from engagement.drafting._signals import detect_language, extract_topic, infer_intent

__all__ = [
    "DRAFT_COUNT",
    "ELLIPSIS",
    "HANDLE_PREFIX_NEEDED",
    "PLATFORM_LIMITS",
    "AnswerError",
    "Draft",
    "DraftProvider",
    "DraftRequest",
    "DraftSource",
    "Formality",
    "Intent",
    "TemplateDrafter",
    "Tone",
    "Voice",
    "build_messages",
    "detect_language",
    "draft_problem",
    "extract_topic",
    "finish_llm_draft",
    "fit_to_limit",
    "fits",
    "graphemes",
    "infer_intent",
    "intent_for",
    "length",
    "limit_for",
    "measure",
    "parse_answer",
    "request_for",
    "template_drafts",
    "template_language",
]
