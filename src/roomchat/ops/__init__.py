"""Running the service: what every connection of an app shares (`service`), the connection
registry and its limits, origins allowed, metrics, health, the outage watch, shutdown, logs."""
