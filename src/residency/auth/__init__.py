"""Accounts, roles, the password policy, tokens and sessions, and login throttling."""
