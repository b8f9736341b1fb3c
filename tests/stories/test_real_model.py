"""The story tagger with the real sentence model: a nurse's charge-nurse story reads as
product evidence (slow: loads the embedding model)."""

from __future__ import annotations

from pathlib import Path

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


def test_tagging_agreement_on_the_labelled_stories(capsys: pytest.CaptureFixture[str]) -> None:
    import yaml

    from healthpm.embeddings import load_encoder

    data = yaml.safe_load((Path(__file__).parent / "data" / "tagging_dev.yaml").read_text())
    tagger = StoryTagger(get_catalog(), load_encoder())
    tp = fp = fn = 0
    for item in data:
        got = {p.competency for p in tagger.tag(parse_story(item["story"]))[0]}
        want = set(item["competencies"])
        tp, fp, fn = tp + len(got & want), fp + len(got - want), fn + len(want - got)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    with capsys.disabled():
        print(
            f"\nstory tagger on {len(data)} stories: precision {precision:.2f}, recall {recall:.2f}"
        )
    assert precision >= 0.45 and recall >= 0.5
