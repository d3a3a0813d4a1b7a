"""The load run: a fresh PostgreSQL database, two app servers, locust, a consistency check."""
