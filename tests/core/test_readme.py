"""The README's pytest examples run as they are written, so the README cannot drift from the plugin."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def python_blocks(section: str) -> list[str]:
    """The ```python blocks of the README section headed ``## <section>``."""
    text = README.read_text(encoding="utf-8")
    body = text.split(f"\n## {section}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", body, re.DOTALL)


def run(pytester, blocks: list[str]):
    assert blocks
    pytester.makepyfile(test_readme="\n\n".join(blocks))
    return pytester.runpytest_subprocess("-p", "no:cacheprovider")


def test_the_plugin_examples(pytester):
    run(pytester, python_blocks("The pytest plugin")).assert_outcomes(passed=2)


def test_the_fault_switch_and_clock_examples(pytester):
    blocks = python_blocks("Faults, switches and the clock")
    tests = sum(len(re.findall(r"^def test_", block, re.MULTILINE)) for block in blocks)
    assert tests == 6
    run(pytester, blocks).assert_outcomes(passed=tests)
