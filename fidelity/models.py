"""Models of the fidelity app: built in a later issue (see docs/architecture.md)."""
