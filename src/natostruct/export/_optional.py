"""Import an optional extra when a function needs it, or say how to install it."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from types import ModuleType


def require(module: str, extra: str, feature: str) -> ModuleType:
    """Import ``module``, or raise ImportError naming ``natostruct[extra]``.

    Raises:
        ImportError: the module is not installed.
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        msg = f"{feature} needs {module}: pip install natostruct[{extra}]"
        raise ImportError(msg, name=module) from exc
