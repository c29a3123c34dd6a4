"""Newsroom: articles, their feed entries, and the ingest orchestrator."""
