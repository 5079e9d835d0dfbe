"""The governance domain: forms, authority, policy and the deployment state machine. Pure
Python with no I/O; imports nothing else of the project."""
