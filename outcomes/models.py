"""Models of the outcomes app: built in a later issue (see docs/architecture.md)."""
