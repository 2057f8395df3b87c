"""roomchat: a spec-first, room-based real-time chat service."""
