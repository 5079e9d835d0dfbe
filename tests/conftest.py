"""The suite's shared plugins: what the machine must have (environment), the databases and the
Redis broker every area uses, and running `openlfr` commands (command_line)."""

pytest_plugins = ["environment", "databases", "brokers", "command_line"]
