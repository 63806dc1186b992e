"""Takes the README's screenshots from the browser walk of every page.

Usage: .venv/bin/python scripts/screenshot.py [OUTPUT_FOLDER]   (default: docs/screenshots)

Runs ``tests/e2e/test_walk.py`` (a demo workspace, logged in, every page at 390, 1024 and
1440 px, in headless Chromium from /usr/bin/chromium) with a throwaway data folder, and has it
photograph the main pages on the desktop (NAME.png, 1440 px) and on a phone (NAME-phone.png,
390 px): home, people, person, event, plan, week, insights, vetting. They are kept only when
the walk passes, so they show pages that fit, read well and pass axe-core.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "docs" / "screenshots").resolve()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as home, tempfile.TemporaryDirectory() as shots:
        env = {**os.environ, "EYECONTACT_HOME": home, "EYECONTACT_SCREENSHOTS": shots}
        walk = [sys.executable, "-m", "pytest", "tests/e2e/test_walk.py", "-q"]
        result = subprocess.run(walk, cwd=ROOT, env=env, check=False)  # noqa: S603  # our own tests
        if result.returncode:
            sys.exit(f"the walk found faults (exit {result.returncode}): no screenshot was kept")
        for photo in sorted(Path(shots).glob("*.png")):
            shutil.copyfile(photo, out / photo.name)
            print(out / photo.name)


if __name__ == "__main__":
    main()
