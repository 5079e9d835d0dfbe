"""The suite's shared plugins: what the machine must have (environment), the databases and the
Redis broker every area uses."""

pytest_plugins = ["environment", "databases", "brokers"]
