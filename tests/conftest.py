"""Hypothesis profiles: random exploration on a developer's machine, the same examples on every CI run."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# A property test that draws new examples on every run can fail a submission over a case nobody touched:
# test_layout.py once drew `list[T | None]` with a 78-character name and a 70-72 character type. So in CI (the
# `CI` variable set, as CI services and .ci/run do) each test replays the examples derived from its own name
# (derandomize): a failure there is the change's, and reproduces. No example database (it replays what earlier
# runs found), no deadline and no too-slow health check (they depend on the machine's load). Locally, examples
# stay random (hypothesis' own default), so new cases keep being found, and saved in .hypothesis/ for replay.
# HYPOTHESIS_PROFILE=ci (or default) picks a profile explicitly.
settings.register_profile(
    "ci", derandomize=True, database=None, deadline=None, print_blob=True, suppress_health_check=[HealthCheck.too_slow]
)
_PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if "CI" in os.environ else None)
if _PROFILE:
    settings.load_profile(_PROFILE)
