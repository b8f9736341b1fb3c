"""Coaching: the coach's cohort, reviews of shared answers, assignments and cohort analytics."""
