"""The project's private WordPress for integration tests: shell scripts + ``instance`` (Python side)."""
