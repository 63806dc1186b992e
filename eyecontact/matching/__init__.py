"""Identity resolution for Eye Contact: pure Python, usable without Django."""
