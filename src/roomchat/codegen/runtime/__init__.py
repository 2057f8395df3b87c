"""The clients' runtimes: ordinary, tested source that `roomchat generate` copies as is.

`python/` and `typescript/` hold everything a generated client does that does not depend on
the spec: the connection, reconnecting with backoff, request/reply by `ref`, typed errors by
close code. The generator copies each file byte for byte, under a "do not edit" header, into
`clients/python/roomchat_client/` and `clients/typescript/src/`; the templates add only what
the spec decides, and hand the runtime the spec's facts as data (a `ChannelSpec`).

Tests: `tests/codegen/runtime/`. The TypeScript is formatted as the generator formats its own
output (a test checks it): `node clients/typescript/node_modules/prettier/bin/prettier.cjs
--config clients/typescript/.prettierrc.json --write src/roomchat/codegen/runtime/typescript`.
"""
