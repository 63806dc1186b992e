"""The demo workspace: a believable, reproducible network to try Eye Contact with.

``demo_build(people=2000, seed=2026)`` gives about 2,000 people and 20,000 touches over ten
years; the benchmarks call it with larger sizes. See :mod:`eyecontact.demo._build` for how the
network is drawn.
"""

from ._build import (
    DEMO_EMAIL,
    DEMO_PASSWORD,
    DEMO_PEOPLE,
    DEMO_SEED,
    DEMO_WORKSPACE,
    demo_build,
    demo_first_run,
    demo_password_works,
    demo_user_ensure,
)

__all__ = [
    "DEMO_EMAIL",
    "DEMO_PASSWORD",
    "DEMO_PEOPLE",
    "DEMO_SEED",
    "DEMO_WORKSPACE",
    "demo_build",
    "demo_first_run",
    "demo_password_works",
    "demo_user_ensure",
]
