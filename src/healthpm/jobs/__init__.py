"""Job matcher: postings read offline and matched to a level, competencies and gaps."""
