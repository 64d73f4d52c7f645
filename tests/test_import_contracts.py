"""The import-linter contracts in pyproject.toml (run by `make test`) name modules one by one:
a new core module left out of them would escape the checks, so their lists are checked here."""

from __future__ import annotations

import tomllib
from pathlib import Path

import paperdeck

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"
FACES = {"paperdeck.tui", "paperdeck.cli", "paperdeck.__main__"}  # __main__ is the CLI
# What the CLI may import from the core: the facade and the pure text helpers it prints with.
CLI_MAY_IMPORT = {
    "paperdeck.library",
    "paperdeck.export",
    "paperdeck.safe_text",
    "paperdeck.sorting",
}


def contracts() -> dict[str, dict[str, object]]:
    config = tomllib.loads(PYPROJECT.read_text("utf-8"))["tool"]["importlinter"]
    return {contract["name"]: contract for contract in config["contracts"]}


def core_modules() -> set[str]:
    """Every top-level module and package of paperdeck except the faces."""
    [package] = paperdeck.__path__
    found = {
        f"paperdeck.{path.stem}"
        for path in Path(package).iterdir()
        if (path.suffix == ".py" and path.stem != "__init__") or (path / "__init__.py").is_file()
    }
    return found - FACES


def test_the_core_contract_names_every_core_module() -> None:
    [contract] = [
        c
        for c in contracts().values()
        if c.get("forbidden_modules") == ["textual", "click", "rich"]
    ]
    assert set(contract["source_modules"]) == core_modules()


def test_the_cli_contract_forbids_all_the_core_but_the_facade() -> None:
    [contract] = [c for c in contracts().values() if c.get("source_modules") == ["paperdeck.cli"]]
    assert set(contract["forbidden_modules"]) == core_modules() - CLI_MAY_IMPORT
    assert contract["allow_indirect_imports"] is True  # through the library is the point


def test_the_layers_name_every_package() -> None:
    [contract] = [c for c in contracts().values() if c["type"] == "layers"]
    packages = {
        m for m in core_modules() if (Path(paperdeck.__path__[0]) / m.split(".")[1]).is_dir()
    }
    assert packages <= {layer.split("#")[0].strip() for layer in contract["layers"]}
