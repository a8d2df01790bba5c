"""Docs are part of the product: every command, option, setting and field is documented."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from onrecord import cli
from onrecord.stories import config, prose, validate

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"


def _commands() -> dict[str, argparse.ArgumentParser]:
    parser = cli._parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_command_and_option_is_in_the_cli_docs():
    text = (DOCS / "cli.md").read_text()
    for name, sub in _commands().items():
        assert f"## `{name}`" in text, f"docs/cli.md has no section for '{name}'"
        section = text.split(f"## `{name}`", 1)[1].split("\n## ", 1)[0]
        for action in sub._actions:
            if action.help == argparse.SUPPRESS:
                continue
            for flag in action.option_strings:
                if flag.startswith("--") and flag != "--help":
                    assert f"`{flag}" in section, f"'{name} {flag}' is not in docs/cli.md"


def test_every_command_is_in_the_readme():
    readme = (REPO / "README.md").read_text()
    for name in _commands():
        assert f"`{name}`" in readme, f"the README does not mention the '{name}' command"


def test_every_setting_is_in_the_configuration_docs():
    text = (DOCS / "configuration.md").read_text()
    for key in (*config.KEYS, *config.STANCE_KEYS):
        assert f"`{key}`" in text, f"setting '{key}' is not in docs/configuration.md"
    for symbol in config.SYMBOLS:
        assert f"`{symbol}`" in text


def test_every_front_matter_field_and_directive_is_in_the_story_format_docs():
    text = (DOCS / "story-format.md").read_text()
    fields = {*validate.STORY_KEYS, *validate.ACTOR_KEYS, *validate.QUOTE_KEYS,
              *validate.EVENT_KEYS, *validate.SOURCE_KEYS, *validate.NOTE_KEYS}
    for field in fields:
        assert f"`{field}`" in text, f"front-matter field '{field}' is not documented"
    for name in prose.NAMES:
        assert f"{{{{ {name}" in text, f"directive '{name}' is not documented"


def test_the_readme_has_the_two_setup_commands_and_ci_runs_the_test_one():
    readme = (REPO / "README.md").read_text()
    commands = re.findall(r"```sh\n(.+?)\n```", readme)
    assert commands[:2] == ["python3 -m pip install -e . && python3 build.py",
                            "bash scripts/test.sh"]
    assert "bash scripts/test.sh" in (REPO / ".ci" / "run").read_text()
    assert (REPO / "docs" / "screenshot.png").is_file()


def test_docs_link_only_to_pages_that_exist():
    for page in [REPO / "README.md", *DOCS.glob("*.md")]:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text()):
            if "://" in target or target.startswith("mailto:"):
                continue
            assert (page.parent / target).exists(), f"{page.name} links to missing {target}"
