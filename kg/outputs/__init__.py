"""Stage 5, outputs: the views (HTML), the review summary, exports and the QDA codebook."""
