"""Safe YAML reading with line numbers: no aliases, no object tags, no duplicate keys.

Hostile files are answered in well under a second with one line: a value a standard tag cannot take
(`!!timestamp "not a date"`), an integer past Python's digit limit, or more list items and mappings
than a bank file can hold (8 MiB of `- {}` would take a minute to build as Python objects).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import yaml

MAX_FILE_BYTES = 8 << 20
MAX_ITEMS = 50_000  # list items and flow mappings per file: 5,000 full entries use about 40,000
_ITEM = re.compile(rb"^[ \t]*-(?:[ \t]|$)|[{\[]", re.MULTILINE)


class _LineDict(dict[str, Any]):
    line: int = 0
    key_lines: dict[str, int]


_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc]
    """Safe loading that also refuses aliases (alias bombs) and duplicate keys, and records lines."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        if node in self.constructed_objects or node in self.recursive_objects:
            raise yaml.constructor.ConstructorError(
                None, None, "anchors and aliases (&/*) are not allowed in bank files", node.start_mark)
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, KeyError, AttributeError, TypeError, OverflowError) as exc:
            # a standard tag given a value it cannot take: PyYAML raises a bare Python error without a line
            tag = str(node.tag).rsplit(":", 1)[-1]
            value = str(node.value)
            if tag == "int" and "digits" in str(exc):
                why = f"integer with {len(value):,} digits (the limit is {sys.get_int_max_str_digits():,})"
            else:
                shown = value if len(value) <= 40 else value[:37] + "..."
                why = f"{shown!r} is not a valid !!{tag}"
            raise yaml.constructor.ConstructorError(None, None, why, node.start_mark) from None

    def _construct_map(self, node: yaml.MappingNode) -> _LineDict:
        out = _LineDict()
        out.line = node.start_mark.line + 1
        out.key_lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                raise yaml.constructor.ConstructorError(None, None, f"keys must be text, got {key!r}",
                                                        key_node.start_mark)
            if key in out:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key '{key}'", key_node.start_mark)
            out[key] = self.construct_object(value_node, deep=True)
            out.key_lines[key] = key_node.start_mark.line + 1
        return out


_Loader.add_constructor("tag:yaml.org,2002:map", _Loader._construct_map)


def _yaml_problem(path: Path, exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = f":{mark.line + 1}" if mark is not None else ""
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    if isinstance(exc, yaml.constructor.ConstructorError) and "could not determine a constructor" in str(problem):
        problem = f"YAML tag not allowed ({str(problem).split('tag ')[-1]}): bank files hold plain data only"
    text = f"{context}, {problem}" if context and "allowed" not in str(problem) else str(problem)
    return f"{path}{line}: invalid YAML: {text}"


def read_yaml(path: Path) -> tuple[Any, list[str]]:
    """Parse one file safely. Returns (data, problems); data is None when the file is unusable."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [f"{path}: file is larger than {MAX_FILE_BYTES >> 20} MiB"]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [f"{path}: cannot read: {exc.strerror}"]
    items = sum(1 for _ in _ITEM.finditer(raw))
    if items > MAX_ITEMS:
        return None, [f"{path}: {items:,} list items and mappings, more than a bank file may hold "
                      f"({MAX_ITEMS:,}); split it into several files"]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [f"{path}:{line}: not UTF-8 text (byte {exc.start})"]
    try:
        return yaml.load(text, Loader=_Loader), []
    except yaml.YAMLError as exc:
        return None, [_yaml_problem(path, exc)]
    except RecursionError:
        return None, [f"{path}: nesting too deep"]
