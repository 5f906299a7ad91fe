"""Drafts from the team's LLM when one is configured, from templates otherwise or on failure.

Fallback policy:

- the whole answer falls back to templates when the model times out, answers an HTTP error,
  or sends something that is not the JSON we asked for;
- otherwise each draft is validated on its own (length the platform's way, no new link or
  @mention, no avoided word, not empty, not a copy of another); refused ones are replaced by
  template drafts, in template order and distinct from the kept ones, so the team always
  gets three.

Every fallback is logged at WARNING with the item id and the reason (never the API key).
"""

from __future__ import annotations

import logging

from engagement.drafting import (
    DRAFT_COUNT,
    AnswerError,
    Draft,
    DraftRequest,
    DraftSource,
    build_messages,
    draft_problem,
    finish_llm_draft,
    length,
    limit_for,
    parse_answer,
    template_drafts,
)
from watchers.llm import LLMClient, LLMError

log = logging.getLogger(__name__)


class Drafter:
    """A ``DraftProvider``: LLM drafts validated one by one, templates as the safety net.

    Args:
        llm: The model client, or ``None`` to use templates only.
    """

    def __init__(self, llm: LLMClient | None = None) -> None:
        self._llm = llm

    @property
    def uses_llm(self) -> bool:
        """Whether a model is configured."""
        return self._llm is not None

    async def drafts(self, request: DraftRequest) -> list[Draft]:
        """Three distinct drafts for ``request``, each within the platform's limit."""
        templates = template_drafts(request)
        if self._llm is None:
            return templates
        try:
            texts = parse_answer(await self._llm.chat(build_messages(request)))
        except (LLMError, AnswerError) as exc:
            log.warning(
                "LLM drafting failed for %s (%s: %s); using templates",
                request.item_id,
                type(exc).__name__,
                exc,
            )
            return templates
        accepted = self._validated(texts, request)
        return self._complete(accepted, templates, request)

    def _validated(self, texts: list[str], request: DraftRequest) -> list[Draft]:
        accepted: list[Draft] = []
        limit = limit_for(request.platform)
        for rank, raw in enumerate(texts[:DRAFT_COUNT], start=1):
            text = finish_llm_draft(raw, request)
            reason = draft_problem(text, request, [d.text for d in accepted])
            if reason is not None:
                log.warning(
                    "LLM draft %d for %s refused (%s); a template takes its place",
                    rank,
                    request.item_id,
                    reason,
                )
                continue
            size = length(text, request.platform)
            accepted.append(Draft(text, size, limit, DraftSource.LLM, angle=f"llm-{rank}"))
        if len(texts) < DRAFT_COUNT:
            log.warning(
                "LLM gave %d draft(s) for %s instead of %d; templates fill in",
                len(texts),
                request.item_id,
                DRAFT_COUNT,
            )
        return accepted

    @staticmethod
    def _complete(
        accepted: list[Draft], templates: list[Draft], request: DraftRequest
    ) -> list[Draft]:
        if len(accepted) == DRAFT_COUNT:
            return accepted
        taken = {" ".join(d.text.casefold().split()) for d in accepted}
        spare = [t for t in templates if " ".join(t.text.casefold().split()) not in taken]
        result = list(accepted)
        result.extend(spare[: DRAFT_COUNT - len(result)])
        log.info(
            "drafts for %s: %d from the LLM, %d from templates",
            request.item_id,
            len(accepted),
            len(result) - len(accepted),
        )
        return result
