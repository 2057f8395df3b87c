"""The Python client's runtime (see `roomchat.codegen.runtime`).

Every module here except this one is copied as is into `clients/python/roomchat_client/`,
so they import each other relatively and nothing from roomchat.
"""
