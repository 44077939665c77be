"""Checks in CI: the manifest, the policy and the baseline, and the reports of a check."""
