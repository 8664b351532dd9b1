"""Checks of a review: ``kg validate`` (SHACL shapes, bibliography) and ``kg evaluate`` (accuracy
against gold)."""
