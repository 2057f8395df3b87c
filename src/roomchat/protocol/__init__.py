"""The protocol, pure and without I/O: the spec, its models, room names, close codes and
reasons, and encoding frames."""
