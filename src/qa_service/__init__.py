"""Question answering with citations over a curated corpus."""
