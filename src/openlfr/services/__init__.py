"""Use cases. Each checks the actor, makes the change and writes its audit record in one
transaction; the CLI and the web call these, never the store directly."""
