"""``pip install .`` (not editable), as the README's first command does: the installed package finds its
contracts and fixtures and serves."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_regular_install_carries_its_contracts_and_fixtures(tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--target", str(target), str(ROOT)], check=True, cwd=tmp_path, timeout=300)
    probe = ("import mockserver, mockserver.fixtures as f; from mockserver.app import create_app; "
             "create_app(); print(mockserver.__file__); print(f.data_dir('contracts'))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, cwd=tmp_path,
                            env={**os.environ, "PYTHONPATH": str(target)})
    assert result.returncode == 0, result.stderr
    module_file, contracts_dir = result.stdout.split()
    assert module_file.startswith(str(target)) and contracts_dir.startswith(str(target))
    assert (Path(contracts_dir) / "kanboard" / "createTaskFile.params.json").exists()
