"""What a benchmark's process, and the processes it starts, cost the machine: processor time
and peak resident memory, from the kernel's figures (``getrusage``) and, for the tree of
processes together, sampled from Linux ``/proc``."""

from __future__ import annotations

import os
import resource
import threading
from pathlib import Path

__all__ = [
    "TreeMemory",
    "children_cpu_seconds",
    "children_peak_mb",
    "cpu_seconds",
    "peak_mb",
]


def cpu_seconds() -> float:
    """Processor time this process has used, so a busy machine does not hide the cost."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_mb() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def children_cpu_seconds() -> float:
    """Processor time of the processes this one started and that have ended (the reader)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def children_peak_mb() -> float:
    """Peak resident memory of the largest ended process this one started (the reader)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


class TreeMemory:
    """The most memory this process and the processes it started held together, sampled.

    Every ``interval`` seconds a thread adds up the resident memory of this process and of
    every process below it (Linux ``/proc``); the peak of each process alone comes from the
    kernel (``ru_maxrss``) and is exact, this one is as good as its sampling.
    """

    def __init__(self, interval: float = 0.02) -> None:
        self.interval = interval
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="tree-memory", daemon=True)
        self._page_mb = os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.peak_mb = max(self.peak_mb, self._tree_mb(os.getpid()))

    def _tree_mb(self, pid: int) -> float:
        try:
            pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
            children = [
                int(child)
                for task in Path(f"/proc/{pid}/task").iterdir()
                for child in (task / "children").read_text().split()
            ]
        except (OSError, ValueError, IndexError):
            return 0.0  # it has just ended
        return pages * self._page_mb + sum(self._tree_mb(child) for child in children)
