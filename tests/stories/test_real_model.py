"""The story tagger with the real sentence model: a nurse's charge-nurse story reads as
product evidence (slow: loads the embedding model)."""

from __future__ import annotations

import pytest

from healthpm.catalog import get_catalog
from healthpm.domain.stories.star import parse_story
from healthpm.domain.stories.tagging import StoryTagger

from .test_stories import NURSE_STORY

pytestmark = pytest.mark.slow


def test_charge_nurse_story_proves_product_competencies() -> None:
    from healthpm.embeddings import load_encoder

    catalog = get_catalog()
    tagger = StoryTagger(catalog, load_encoder())
    proofs, questions, translations = tagger.tag(parse_story(NURSE_STORY, name="s.md"))
    found = {p.competency for p in proofs}
    assert "change-management" in found
    assert found & {"stakeholder-alignment", "clinician-co-design", "clinical-workflow"}
    assert found & {"clinical-risk-management", "safe-experimentation"}
    assert questions and all(
        catalog.questions[q.id].category in ("behavioral", "career-transition") for q in questions
    )
    assert translations
