"""Verification of a conversion: character conservation against independent extractors."""
