"""Browser tests: real headless Chromium against a live Eye Contact server."""
