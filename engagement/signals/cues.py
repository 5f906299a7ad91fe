"""Rule-based cues in French and English: questions, requests, complaints.

A question is more than a ``?``: French ``est-ce que``, interrogative words at the start of a
sentence (``comment``, ``pourquoi``, ``où``, ``quel(le)(s)``…), verb–subject inversions
(``pouvez-vous``, ``peut-on``, ``y a-t-il``) and English auxiliaries or wh-words at the start
(``how do I``, ``can you``, ``does it``, ``any idea``…). Links and @handles are ignored, so a
``?`` inside a URL does not count.
"""

from __future__ import annotations

import re

__all__ = ["has_complaint_cue", "is_question", "is_request"]

_URL = re.compile(r"https?://\S+|\bwww\.\S+", re.IGNORECASE)
_HANDLE = re.compile(r"[@＠][\w.\-]+")
_SENTENCES = re.compile(r"[.!?…\n]+|(?<=\))|\s[-–—]\s")

_EN_START = re.compile(
    r"^(?:how|what|what's|whats|why|when|where|who|whom|whose|which|"
    r"can|could|would|will|should|shall|do|does|did|is|are|was|were|am|"
    r"have|has|had|may|might|isn't|aren't|doesn't|don't|didn't|won't|can't|"
    r"anyone|anybody|any\s+(?:idea|ideas|update|news|way|chance|word))\b",
    re.IGNORECASE,
)
_EN_ANYWHERE = re.compile(
    r"\b(?:any\s+idea|anyone\s+know|does\s+anyone|is\s+there\s+(?:a|any)\s+way|"
    r"i\s+(?:was\s+)?wonder(?:ing)?\s+(?:if|whether|why|how)|not\s+sure\s+(?:if|how|why)|"
    r"how\s+(?:do|can|does|did|long|much|many|come)|when\s+will|where\s+(?:can|do|is)|"
    r"can\s+(?:you|i|we|u)\b|could\s+(?:you|i|we|u)\b)",
    re.IGNORECASE,
)
_FR_START = re.compile(
    r"^(?:comment|pourquoi|combien|o[uù]|quel|quelle|quels|quelles|lequel|laquelle|"
    r"lesquels|lesquelles|qu['’]est[- ]ce|est[- ]ce|quand\s+(?:est|sera|aura|va|pourr)|"
    r"qui\s+(?:est|sait|a|peut|connait|connaît)|c['’]est\s+(?:quand|o[uù]|normal|possible))\b",
    re.IGNORECASE,
)
_FR_INVERSION = re.compile(
    r"\b(?!rendez-vous\b|chez-vous\b|vous-m[eê]me\b|moi-m[eê]me\b)"
    r"[a-zàâçéèêëîïôûùüÿœ]{2,}(?:-t)?-(?:je|tu|il|elle|on|nous|vous|ils|elles)\b",
    re.IGNORECASE,
)
_FR_ANYWHERE = re.compile(
    r"\b(?:est[- ]ce\s+qu|je\s+me\s+demande\s+(?:si|pourquoi|comment|quand)|"
    r"une\s+id[ée]e|quelqu['’]un\s+(?:sait|a|conna[iî]t|peut)|savez[- ]vous|"
    r"sais[- ]tu|y\s+a[- ]t[- ]il|comment\s+(?:faire|on|je|puis|peut)|"
    r"pourquoi\s+(?:est|ne|n['’]|je|on|vous|mon|ma|mes))",
    re.IGNORECASE,
)

_REQUEST = re.compile(
    r"\b(?:please|pls|plz|kindly|can\s+(?:you|u|someone)|could\s+(?:you|u|someone)|"
    r"would\s+you|help\s+me|i\s+need|we\s+need|i\s+want\s+to|i(?:'d|\s+would)\s+like|"
    r"dm\s+me|send\s+me|let\s+me\s+know|get\s+back\s+to\s+me|contact\s+me|"
    r"refund|cancel\s+my|unsubscribe|fix\s+(?:this|it|my)|"
    r"s['’]il\s+(?:vous|te)\s+pla[iî]t|svp|stp|pouvez[- ]vous|pourriez[- ]vous|"
    r"peux[- ]tu|pourrais[- ]tu|merci\s+de\s+(?:me|nous|bien|m['’])|j['’]aimerais|"
    r"je\s+voudrais|nous\s+voudrions|aidez[- ]moi|aide[- ]moi|besoin\s+d|"
    r"rembours|annuler|contactez[- ]moi|en\s+(?:mp|dm|priv[ée])|r[ée]pondez)",
    re.IGNORECASE,
)

_COMPLAINT = re.compile(
    r"\b(?:still\s+(?:not|no|waiting|haven't|hasn't)|not\s+(?:working|received|arrived)|"
    r"doesn't\s+work|does\s+not\s+work|isn't\s+working|stopped\s+working|broken|"
    r"worst|terrible|awful|unacceptable|disgusting|ridiculous|rip[- ]?off|scam|"
    r"never\s+again|waste\s+of|refund|complain|disappointed|fed\s+up|"
    r"toujours\s+pas|ne\s+(?:marche|fonctionne)\s+(?:pas|plus)|(?:marche|fonctionne)\s+pas|"
    r"en\s+panne|inadmissible|inacceptable|scandal|honte|arnaque|d[ée]çu|"
    r"rembours|r[ée]clamation|j['’]attends|depuis\s+\d+\s+(?:jours|semaines|mois|heures)|"
    r"ras[- ]le[- ]bol|marre|nul(?:le)?\b|pire)",
    re.IGNORECASE,
)


def _clean(text: str) -> str:
    return _HANDLE.sub(" ", _URL.sub(" ", text))


def is_question(text: str) -> bool:
    """Whether ``text`` asks something, in French or English (with or without a ``?``)."""
    body = _clean(text)
    if "?" in body or "？" in body:
        return True
    if _EN_ANYWHERE.search(body) or _FR_ANYWHERE.search(body) or _FR_INVERSION.search(body):
        return True
    for sentence in _SENTENCES.split(body):
        stripped = sentence.strip(" \t\"'«»“”([")
        if stripped and (_EN_START.match(stripped) or _FR_START.match(stripped)):
            return True
    return False


def is_request(text: str) -> bool:
    """Whether ``text`` asks the brand to do something (``please``, ``pouvez-vous``, ``svp``…)."""
    return _REQUEST.search(_clean(text)) is not None


def has_complaint_cue(text: str) -> bool:
    """Whether ``text`` holds a typical complaint phrase (``toujours pas``, ``still not``…)."""
    return _COMPLAINT.search(_clean(text)) is not None
