"""Stage 1, load: the review's inputs read into records (works, people, citations, claims,
themes)."""
