"""What this machine can run: its devices and free memory (the rest of validation is the field table's)."""
import os

from .devices import available_devices, why_missing
from .errors import ConfigError


def check_device(name):
    if name != "auto" and name not in available_devices():
        raise ConfigError("device", name, f"Not available here: {why_missing(name)}. "
                          f"Available: auto, {', '.join(available_devices())}.", label="Device (device)")


def available_memory() -> int:
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
