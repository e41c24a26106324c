"""Which compute devices this machine has, and how `auto` picks one."""
import torch

from .say import Msg

DEVICES = ("auto", "cpu", "cuda", "mps")

_WHY_MISSING = {"cuda": "core.device.no_cuda", "mps": "core.device.needs_mac"}


def _has(name: str) -> bool:
    if name == "cuda":
        return torch.cuda.is_available()
    if name == "mps":
        mps = getattr(torch.backends, "mps", None)
        return bool(mps and mps.is_available())
    return name == "cpu"


def available_devices() -> list[str]:
    """Concrete devices usable here, fastest first; always ends with "cpu"."""
    return [d for d in ("cuda", "mps", "cpu") if _has(d)]


def why_missing(name: str) -> Msg:
    """A sentence saying why `name` is not offered on this machine (a Msg: the page says it in its language)."""
    return Msg(_WHY_MISSING[name]) if name in _WHY_MISSING else Msg("core.device.unknown", name=repr(name))


def resolve_device(name: str) -> torch.device:
    """Map a RunConfig device name to a torch.device: `auto` picks CUDA, then MPS, then CPU."""
    if name == "auto":
        return torch.device(available_devices()[0])
    return torch.device(name)
