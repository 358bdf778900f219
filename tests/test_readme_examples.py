"""The README's GraphQL examples answer, over the demo data, what the README shows, on any day.

Each ```graphql block that reads (not a mutation) is followed by a ```json block with its
answer. In a shown answer `…` stands for what is left out: a value (an opaque cursor, an id)
or, as a list's last item, the rest of the list.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from directory.demo.load import seed_demo

_README = Path(__file__).resolve().parents[1] / "README.md"
_BLOCK = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)
_ELIDED = "…"


def _examples() -> list[tuple[str, str]]:
    """(query, shown answer) of every reading example, in the README's order."""
    blocks = [(m.group(1), m.group(2)) for m in _BLOCK.finditer(_README.read_text("utf-8"))]
    examples = []
    for i, (language, text) in enumerate(blocks):
        if language != "graphql" or text.lstrip().startswith("mutation"):
            continue
        following = blocks[i + 1] if i + 1 < len(blocks) else ("", "")
        assert following[0] == "json", f"the README shows no answer to:\n{text}"
        examples.append((text, following[1]))
    return examples


def _shown(text: str) -> Any:
    """The shown answer, with each bare … (outside strings) read as the string "…"."""
    parts = re.split(r'("(?:[^"\\]|\\.)*")', text)
    unquoted = [p if i % 2 else p.replace(_ELIDED, f'"{_ELIDED}"') for i, p in enumerate(parts)]
    return json.loads("".join(unquoted))


def _as_shown(shown: Any, actual: Any) -> Any:
    """`actual` with the parts the shown answer leaves out replaced by …, to compare."""
    if shown == _ELIDED:
        return _ELIDED
    if isinstance(shown, dict) and isinstance(actual, dict):
        return {k: _as_shown(shown[k], v) if k in shown else v for k, v in actual.items()}
    if isinstance(shown, list) and isinstance(actual, list):
        if shown and shown[-1] == _ELIDED and len(actual) >= len(shown) - 1:
            kept = len(shown) - 1
            head = [_as_shown(s, a) for s, a in zip(shown[:kept], actual[:kept], strict=True)]
            return [*head, _ELIDED]
        return [_as_shown(s, a) for s, a in zip(shown, actual, strict=False)] + actual[len(shown) :]
    return actual


EXAMPLES = _examples()
# The day the demo is drawn at, a spring day, a leap day and a summer years on.
DAYS = [
    datetime(2026, 11, 26, 4, 0, tzinfo=UTC),
    datetime(2027, 3, 15, 1, 30, tzinfo=UTC),
    datetime(2028, 2, 29, 12, 0, tzinfo=UTC),
    datetime(2031, 7, 1, 23, 0, tzinfo=UTC),
]


def test_the_readme_has_examples_with_answers():
    assert len(EXAMPLES) >= 4


@pytest.mark.parametrize("day", DAYS, ids=[f"{d:%Y-%m-%d}" for d in DAYS])
async def test_the_readme_examples_answer_as_shown(server, gql, day):
    # given the demo data loaded on that day
    server.clock.at = day
    await seed_demo(day)
    for query, answer in EXAMPLES:
        # when the example is asked
        actual = (await gql.raw(query)).json()
        # then it answers what the README shows
        shown = _shown(answer)
        everything = json.dumps(actual, ensure_ascii=False)
        assert _as_shown(shown, actual) == shown, f"the whole answer: {everything}"
