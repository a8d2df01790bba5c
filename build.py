"""Build the site: `python build.py` (see `python build.py --help`)."""

from onrecord.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
