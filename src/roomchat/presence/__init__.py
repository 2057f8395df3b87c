"""Who is in each room, on every server process: the presence store and its roster.

A store records each connection of a room (its user's id and name) and answers with the
room's roster. The in-memory store serves one process; the Redis store (for the Redis
layers) is shared by every process, each entry expiring unless its process refreshes it.
"""
