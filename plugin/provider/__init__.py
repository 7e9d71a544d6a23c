"""The Processing provider and the algorithms built from GP task descriptions."""
