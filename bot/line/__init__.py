"""The LINE side: the gateway (the only code talking to LINE), message limits and builders, the inbox of webhook events, the outbox of messages, the rich menu."""
