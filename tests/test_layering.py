"""The layering of DESIGN.md, enforced by import-linter's contracts in .importlinter."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = (
    "import sys; from importlinter.cli import lint_imports_command; "
    "sys.exit(lint_imports_command())"
)


def _lint_imports(config: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", LINT_IMPORTS, "--config", str(config), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_every_layering_contract_is_kept() -> None:
    result = _lint_imports(ROOT / ".importlinter")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
    for contract in ("engagement", "watchers", "storage", "cogs", "nothing imports bot"):
        assert contract in result.stdout


def test_the_check_fails_on_a_broken_contract(tmp_path: Path) -> None:
    # storage does import sqlalchemy: a contract forbidding it must be reported broken.
    config = tmp_path / "broken.ini"
    config.write_text(
        "[importlinter]\n"
        "root_packages =\n    storage\n    engagement\n"
        "include_external_packages = True\n\n"
        "[importlinter:contract:no-sql]\n"
        "name = storage without sqlalchemy\n"
        "type = forbidden\n"
        "source_modules =\n    storage\n"
        "forbidden_modules =\n    sqlalchemy\n",
        encoding="utf-8",
    )
    result = _lint_imports(config)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "storage without sqlalchemy BROKEN" in result.stdout
