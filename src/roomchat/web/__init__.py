"""The service's HTTP side: routes, the chat page's static files, the generated docs page,
and the security headers on every response."""
