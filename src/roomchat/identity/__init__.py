"""Who a connection is: its id, its user and display name, and whether it opted in.

Pure: reading what a handshake offers (subprotocols, query) and turning it into an
`Identity`, or into the close a refused handshake gets. Open mode makes guests; token mode
(`identity.tokens`) verifies a signed token.
"""
