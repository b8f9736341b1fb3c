"""The optional LLM reviewer: a second opinion from any OpenAI-compatible chat server.

Off unless HEALTHPM_REVIEWER_URL and HEALTHPM_REVIEWER_MODEL are set. The answer (and a
free-text question) always pass through the PHI guard's redaction before anything is sent,
whatever the user chose for storage. The prompt carries the rubric, the nine flag
definitions and, for a bank question, its talking points, and asks for JSON. A slow,
unreachable or malformed reply is "no second opinion" with one line saying why; it never
fails the scoring it sits beside.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import httpx

from healthpm.catalog import Catalog
from healthpm.config import Settings
from healthpm.domain.content import FLAG_IDS
from healthpm.errors import InvalidInputError
from healthpm.practice import phi

RUBRIC = {
    "structure": "a clear frame: the situation or goal first, then the steps, then the result",
    "specificity": "concrete actions, names of roles, systems and decisions, not generalities",
    "data": "numbers that matter: baselines, targets, outcomes, error costs",
    "domain": "correct health-care knowledge: regulation, clinical workflow, payers, privacy",
    "risk_safety": "patient safety and data risk named, with guards and stop rules",
    "stakeholders": "clinicians, patients, payers, compliance and others brought in by role",
}
MAX_COMMENT = 2000


@dataclass(frozen=True)
class ReviewerConfig:
    url: str
    model: str
    key: str | None
    timeout: float

    @property
    def endpoint(self) -> str:
        """The chat-completions URL: given whole, or appended to a server root or /v1."""
        url = self.url.rstrip("/")
        if url.endswith("/chat/completions"):
            return url
        if url.endswith("/v1"):
            return f"{url}/chat/completions"
        return f"{url}/v1/chat/completions"


def reviewer_config(settings: Settings) -> ReviewerConfig | None:
    """The configured reviewer, or None when it is off (the default)."""
    if not settings.reviewer_url or not settings.reviewer_model:
        return None
    if not settings.reviewer_url.startswith(("http://", "https://")):
        raise InvalidInputError("HEALTHPM_REVIEWER_URL must start with http:// or https://")
    return ReviewerConfig(
        settings.reviewer_url,
        settings.reviewer_model,
        settings.reviewer_key,
        settings.reviewer_timeout,
    )


def require_config(settings: Settings) -> ReviewerConfig:
    """The reviewer, or one line saying how to turn it on."""
    config = reviewer_config(settings)
    if config is None:
        raise InvalidInputError(
            "the LLM reviewer is off: set HEALTHPM_REVIEWER_URL (an OpenAI-compatible server, "
            "e.g. http://127.0.0.1:11434 for Ollama) and HEALTHPM_REVIEWER_MODEL"
        )
    return config


@dataclass
class Review:
    """A review's outcome: the opinion (None: no second opinion), why not, and what was sent."""

    opinion: dict[str, Any] | None
    note: str | None
    sent: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"opinion": self.opinion, "note": self.note, "sent": self.sent}


def _system_prompt(catalog: Catalog) -> str:
    rubric = "\n".join(f"- {k}: {v}" for k, v in RUBRIC.items())
    flags = "\n".join(
        f"- {f}: {catalog.flags[f].meaning}" if f in catalog.flags else f"- {f}" for f in FLAG_IDS
    )
    return (
        "You review written interview answers for health-tech product manager roles. "
        "Judge the answer as a careful hiring panel would.\n\n"
        f"Rubric (each part matters):\n{rubric}\n\n"
        f"Red flags: name one only when a sentence of the answer shows it:\n{flags}\n\n"
        'Reply with one JSON object and nothing else: {"overall": a number from 1 to 5, '
        '"flags": [{"id": a flag id from the list, "evidence": the sentence}], '
        '"comments": two or three sentences on what would raise the score}.'
    )


_SEPARATOR = "\n\n~~~~\n\n"


def redact_together(question: str, answer: str) -> tuple[str, str]:
    """Both texts redacted as one: a person named in the answer is also removed where the
    question mentions them without a cue of its own (and the other way round)."""
    joined = phi.redact(f"{question}{_SEPARATOR}{answer}")
    if _SEPARATOR in joined:
        head, _, tail = joined.partition(_SEPARATOR)
        return head, tail
    return phi.redact(question), phi.redact(answer)


def build_messages(
    catalog: Catalog, *, answer: str, question_id: str | None, question_text: str
) -> list[dict[str, str]]:
    """The chat messages, with PHI redacted from the answer and the question."""
    question_text, answer = redact_together(question_text, answer)
    parts = [f"Question: {question_text}"]
    question = catalog.questions.get(question_id) if question_id else None
    if question is not None:
        points = "\n".join(f"- {tp}" for tp in question.talking_points)
        parts.append(f"Talking points a strong answer covers:\n{points}")
    parts.append(f"Answer:\n{answer}")
    return [
        {"role": "system", "content": _system_prompt(catalog)},
        {"role": "user", "content": "\n\n".join(parts)},
    ]


_JSON_BLOCK = re.compile(r"\{.*\}", re.DOTALL)


def parse_reply(content: str, model: str) -> dict[str, Any] | None:
    """The opinion from the model's text, or None when it is not the JSON asked for."""
    match = _JSON_BLOCK.search(content or "")
    if not match:
        return None
    try:
        data = json.loads(match.group(0))
    except json.JSONDecodeError:
        return None
    if not isinstance(data, dict):
        return None
    overall = data.get("overall")
    if isinstance(overall, bool) or not isinstance(overall, int | float) or not 1 <= overall <= 5:
        return None
    flags = []
    for item in data.get("flags") or []:
        flag_id = item.get("id") if isinstance(item, dict) else item
        evidence = item.get("evidence") if isinstance(item, dict) else None
        if isinstance(flag_id, str) and flag_id in FLAG_IDS:
            flags.append({"id": flag_id, "evidence": str(evidence)[:500] if evidence else None})
    comments = data.get("comments")
    return {
        "model": model,
        "overall": round(float(overall), 2),
        "flags": flags,
        "comments": str(comments)[:MAX_COMMENT] if comments else "",
    }


def review(
    config: ReviewerConfig,
    catalog: Catalog,
    *,
    answer: str,
    question_id: str | None,
    question_text: str,
    client: httpx.Client | None = None,
) -> Review:
    """Ask the reviewer; never raises for what the server does (see the module docstring)."""
    messages = build_messages(
        catalog, answer=answer, question_id=question_id, question_text=question_text
    )
    sent = {"url": config.endpoint, "model": config.model, "messages": messages}
    body = {"model": config.model, "messages": messages, "temperature": 0, "stream": False}
    headers = {"Authorization": f"Bearer {config.key}"} if config.key else {}
    where = httpx.URL(config.endpoint).host
    try:
        if client is not None:
            response = client.post(config.endpoint, json=body, headers=headers)
        else:
            with httpx.Client(timeout=config.timeout) as http:
                response = http.post(config.endpoint, json=body, headers=headers)
    except httpx.TimeoutException:
        return Review(
            None, f"no second opinion: {where} did not answer within {config.timeout:g} s", sent
        )
    except httpx.HTTPError as exc:
        return Review(
            None, f"no second opinion: {where} could not be reached ({type(exc).__name__})", sent
        )
    if response.status_code != 200:
        return Review(
            None, f"no second opinion: {where} answered HTTP {response.status_code}", sent
        )
    try:
        content = response.json()["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError):
        content = None
    opinion = parse_reply(content, config.model) if isinstance(content, str) else None
    if opinion is None:
        return Review(
            None, "no second opinion: the reviewer's reply was not the JSON asked for", sent
        )
    return Review(opinion, None, sent)
