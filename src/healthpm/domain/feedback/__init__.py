"""Answer feedback: the PRODUCT.md contract. Pure; the embedding model is injected."""

from healthpm.domain.feedback.schema import Feedback, FlagHit, MatchedQuestion, TalkingPoints

__all__ = ["Feedback", "FlagHit", "MatchedQuestion", "TalkingPoints"]
