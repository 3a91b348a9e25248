"""Every fenced example of the README runs as it is written, so the README cannot drift.

- ```python blocks: the tests they define run with pytest, all of them passing.
- ```sh blocks: run with bash against a live server (``http://127.0.0.1:8000`` and ``$MOCK_URL`` pointed at it),
  in a directory of their own; every output shown under a command (a ``# {...}`` or ``# <...>`` line, ``...``
  standing for anything) must appear in what they print, in order. A block that starts a server in the
  foreground is started, its printed lines compared, and stopped.
- The CLI synopsis names exactly the flags ``mockserver serve --help`` lists.
- The two set-up lines are not run here: ``.ci/run`` runs the test line itself, and the server line installs
  into a fresh virtual environment (``test_packaging`` installs the package as it does; ``test_cli`` serves).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"
BIN = Path(sys.executable).parent
SET_UP = ('python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/mockserver serve',
          'python3 -m venv .venv && .venv/bin/pip install -e ".[test]" && .venv/bin/python -m pytest')


def blocks(language: str) -> list[tuple[int, str]]:
    """(line, code) of each fenced block in ``language`` ("" for a block without one)."""
    text = README.read_text(encoding="utf-8")
    found = []
    for match in re.finditer(r"^```(\w*)\n(.*?)^```", text, re.MULTILINE | re.DOTALL):
        if match.group(1) == language:
            found.append((text[:match.start()].count("\n") + 1, match.group(2)))
    return found


def shown(code: str) -> list[re.Pattern[str]]:
    """The outputs a block shows, as patterns: ``...`` stands for anything."""
    lines = [line[2:] for line in code.splitlines() if re.match(r"# [{<\[]", line)]
    return [re.compile(".*?".join(re.escape(part) for part in line.split("...")), re.DOTALL) for line in lines]


def assert_shows(code: str, output: str) -> None:
    at = 0
    for pattern in shown(code):
        match = pattern.search(output, at)
        assert match, f"the README shows {pattern.pattern!r}, the example printed:\n{output[at:at + 2000]}"
        at = match.end()


SH = [(line, code) for line, code in blocks("sh") if code.strip() not in SET_UP]


def test_the_set_up_lines_are_the_two_the_readme_promises():
    assert [code.strip() for _, code in blocks("sh") if code.strip() in SET_UP] == list(SET_UP)


@pytest.mark.parametrize("code", [code for _, code in SH], ids=[f"line {line}" for line, _ in SH])
def test_each_shell_example(taskmock, tmp_path, code):
    script = code.replace("http://127.0.0.1:8000", taskmock.url).replace(".venv/bin/", f"{BIN}/")
    env = {**os.environ, "MOCK_URL": taskmock.url, "PATH": f"{BIN}:{os.environ['PATH']}"}
    if re.match(r"\s*mockserver serve [^&]*$", script.split("\n")[0]):
        command = script.split("#")[0].split() + []
        command[command.index("--port") + 1] = "0"
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                                   cwd=tmp_path)
        try:
            url, second = process.stdout.readline(), process.stdout.readline()
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(10)
        promised = re.search(r"prints (\S+) and (\S+)", code)
        assert url.startswith(promised[1].rsplit(":", 1)[0] + ":") and second.startswith(promised[2].rstrip("."))
        return
    result = subprocess.run(["bash", "-c", "set -euo pipefail\ntrap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n"
                             + script], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60)
    assert result.returncode == 0, result.stderr + result.stdout
    assert_shows(code, result.stdout)


def test_the_python_examples(pytester):
    python = blocks("python")
    tests = sum(len(re.findall(r"^def test_", code, re.MULTILINE)) for _, code in python)
    assert len(python) >= 4 and tests >= 10
    for line, code in python:
        pytester.makepyfile(**{f"test_readme_line_{line}": code})
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=tests)


def test_the_cli_synopsis_names_every_flag_of_serve():
    [(_, synopsis)] = blocks("")
    help_text = subprocess.run([sys.executable, "-m", "mockserver", "serve", "--help"], capture_output=True,
                               text=True, check=True).stdout
    flags = lambda text: set(re.findall(r"--[a-z][a-z-]+", text)) - {"--help", "--version"}  # noqa: E731
    assert flags(synopsis) == flags(help_text)
