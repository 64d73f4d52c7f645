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


# What the TUI may import from the core besides the facade: the CLI's text helpers, and the
# view types the sidebar lists (pure values, no files).
TUI_MAY_IMPORT = CLI_MAY_IMPORT | {"paperdeck.views"}


def test_the_tui_contract_forbids_all_the_core_but_the_facade() -> None:
    [contract] = [c for c in contracts().values() if c.get("source_modules") == ["paperdeck.tui"]]
    assert set(contract["forbidden_modules"]) == core_modules() - TUI_MAY_IMPORT
    assert contract["allow_indirect_imports"] is True


def tui_modules() -> set[str]:
    """Every module of paperdeck.tui, relative to it ("app", "screens.main", "widgets.safe");
    empty `__init__.py` files import nothing and are left out."""
    root = Path(paperdeck.__path__[0]) / "tui"
    found = set()
    for path in root.rglob("*.py"):
        parts = path.relative_to(root).with_suffix("").parts
        if parts[-1] == "__init__":
            if not path.read_text("utf-8").strip():
                continue
            parts = parts[:-1]
        if parts:
            found.add(".".join(parts))
    return found


def test_the_tui_layers_name_every_tui_module() -> None:
    """A TUI module outside the layers could import anything: a cycle would go unnoticed."""
    [contract] = [c for c in contracts().values() if c.get("containers") == ["paperdeck.tui"]]
    layered = {
        name.strip() for layer in contract["layers"] for name in layer.split("|") if name.strip()
    }
    unlisted = {
        module
        for module in tui_modules()
        if not any(module == name or module.startswith(f"{name}.") for name in layered)
    }
    assert not unlisted, f"add these to the TUI's layers in pyproject.toml: {sorted(unlisted)}"


def test_the_layers_name_every_package() -> None:
    [contract] = [
        c for c in contracts().values() if c["type"] == "layers" and "containers" not in c
    ]
    packages = {
        m for m in core_modules() if (Path(paperdeck.__path__[0]) / m.split(".")[1]).is_dir()
    }
    assert packages <= {layer.split("#")[0].strip() for layer in contract["layers"]}
