"""The demo accounts, shared by ``seed_demo`` and the demo-mode 2FA relaxation."""

DEMO_PASSWORD = "demo"
DEMO_USERNAMES = frozenset(
    {"coach1", "coach2", "coach3", "lead1", "reviewer1", "reviewer2", "evaluator1", "admin"}
)
