"""`python -m paperdeck` is the `paperdeck` command."""

from paperdeck.cli import main

if __name__ == "__main__":
    main(prog_name="paperdeck")
