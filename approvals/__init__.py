"""The Section 26 approvals service: domain rules, workflow and web blueprints."""
