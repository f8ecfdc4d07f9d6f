"""Output formats. Each format module exposes `render(run, settings, opts) -> str | bytes`."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

# format name -> module under dossier_lint.report (imported only when used)
MODULES = {
    "text": "text",
    "json": "json_",
    "jsonl": "json_",
    "sarif": "sarif",
    "junit": "junit",
    "github": "github",
    "html": "html",
    "xlsx": "xlsx",
}


class OutputError(Exception):
    pass


def emit(fmt: str, run: Any, settings: Any, output: Path | None, opts: dict[str, Any]) -> None:
    mod = importlib.import_module(f".{MODULES[fmt]}", __name__)
    render = getattr(mod, f"render_{fmt}", None) or mod.render
    opts = dict(opts)
    opts["color"] = opts.get("color")
    if opts["color"] is None:
        opts["color"] = output is None and sys.stdout.isatty()
    data = render(run, settings, opts)
    if output is None:
        if isinstance(data, bytes):
            if sys.stdout.isatty():
                raise OutputError(f"{fmt} 为二进制格式，请用 --output 指定文件")
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.write(data)
        sys.stdout.flush()
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            output.write_bytes(data)
        else:
            output.write_text(data, encoding="utf-8")
    except OSError as e:
        raise OutputError(f"{output}: {e.strerror or e}") from e
