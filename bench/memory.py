"""
A process's memory as Linux reports it, for the benches that measure peaks.
"""

from pathlib import Path


def reset_peak_rss() -> None:
    """Start the peak (VmHWM) again from the current size, where Linux allows."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def status_kb(field: str) -> int:
    """A field of /proc/self/status in kB (``VmHWM:``, ``VmRSS:``), 0 if absent."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1])
    return 0
