"""Output: pages rendered to bytes, hashed assets, the search index and the link check of those
bytes, written to public/ in one step."""
