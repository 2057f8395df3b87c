"""`roomchat serve`'s own transport limits: uvicorn's protocols, bounded (request heads, closes)."""
