"""YAML text read together with the line of every value, so problems can say FILE:LINE.

Shared by the routine loader and the dialog-file loader: both check the data with pydantic
and report each error at the line of the field it is about.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from routines.errors import Problem, ProblemsError

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class YamlDocument:
    """A file's data, and the 1-based line of every path into it."""

    data: Any
    """What `yaml.safe_load` gives (None for an empty file)."""
    lines: dict[Path_, int]
    """The line of each node, keyed by its path; a mapping field's line is its key's."""

    def line_for(self, loc: Path_) -> int:
        """The line of the deepest known node on the path to `loc` (1 when none is known)."""
        for cut in range(len(loc), -1, -1):
            if loc[:cut] in self.lines:
                return self.lines[loc[:cut]]
        return 1


def _lines(node: yaml.Node, path: Path_, out: dict[Path_, int], seen: set[int]) -> None:
    out[path] = node.start_mark.line + 1
    # An alias makes the node graph share nodes: walk each once, or a "billion laughs"
    # file (aliases of aliases) takes forever. Paths through an alias use the alias's line.
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else str(key.value)
            _lines(value, (*path, name), out, seen)
            # A field's problem is reported at its key, which may sit above a block value.
            out[(*path, name)] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _lines(item, (*path, index), out, seen)


_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


def _bad_timestamp_line(root: yaml.Node) -> int:
    """The line of the first timestamp scalar under `root` that is not a real date (1: none)."""
    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode) and node.tag == _TIMESTAMP_TAG:
            try:
                yaml.SafeLoader("").construct_yaml_timestamp(node)
            except ValueError:
                return int(node.start_mark.line) + 1
        elif isinstance(node, yaml.MappingNode):
            stack.extend(part for pair in reversed(node.value) for part in reversed(pair))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
    return 1


def read_yaml(text: str, source: str) -> YamlDocument:
    """Parse YAML text; `source` names the file in the problem raised when it is not YAML.

    Raises:
        ProblemsError: with one problem at the line where parsing failed.
    """
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
        lines: dict[Path_, int] = {}
        if node is not None:
            _lines(node, (), lines, set())
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        problem = Problem(source, line, "", f"not valid YAML: {error.problem}")
        raise ProblemsError([problem]) from None
    except yaml.YAMLError as error:
        raise ProblemsError([Problem(source, 1, "", f"not valid YAML: {error}")]) from None
    except ValueError as error:
        # A date or time that does not exist (2026-13-01): PyYAML's constructor gives no mark.
        line = _bad_timestamp_line(node) if node is not None else 1
        raise ProblemsError(
            [Problem(source, line, "", f"not a real date or time: {error}")]
        ) from None
    except RecursionError:
        raise ProblemsError([Problem(source, 1, "", "nested too deeply")]) from None
    return YamlDocument(data, lines)
