"""site/site.toml is checked like a story: stance colours must be readable as text in light
and dark mode (WCAG AA), and a base_url without a host is said once, with its line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from onrecord.builder import pipeline
from onrecord.stories import config
from onrecord.stories.problems import BuildFailed, Problems
from tests.conftest import REPO, VALID_STORY, make_project

SITE = (REPO / "site" / "site.toml").read_text(encoding="utf-8")


def load(tmp_path: Path, text: str) -> tuple[config.SiteConfig, Problems]:
    path = tmp_path / "site.toml"
    path.write_text(text, encoding="utf-8")
    problems = Problems()
    return config.load(path, problems, shown="site/site.toml"), problems


def line_of(text: str, fragment: str) -> int:
    return text[:text.index(fragment)].count("\n") + 1


def test_contrast_is_wcag_2():
    assert config.contrast("#000000", "#ffffff") == pytest.approx(21)
    assert config.contrast("#123456", "#123456") == pytest.approx(1)
    assert config.contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


def test_the_backgrounds_checked_are_the_stylesheets():
    css = (REPO / "site" / "static" / "style.css").read_text(encoding="utf-8")
    light, dark = css.split("@media (prefers-color-scheme: dark)", 1)

    def colours(block: str) -> tuple[str, str]:
        found = dict(re.findall(r"--(bg|surface):\s*(#[0-9a-fA-F]{6})", block))
        return found["bg"], found["surface"]

    assert {"light": colours(light), "dark": colours(dark)} == config.BACKGROUNDS


def test_the_example_and_default_stances_pass(tmp_path: Path):
    loaded, problems = load(tmp_path, SITE.replace('base_url = "/"', 'base_url = "https://a.b/"'))
    assert problems.items == []
    assert [s.color for s in loaded.stances] == [s.color for s in config.DEFAULT_STANCES]
    _, problems = load(tmp_path, "")
    assert problems.errors == []


def test_a_light_colour_too_pale_for_text_is_an_error_naming_stance_colour_ratio_and_line(
        tmp_path: Path):
    text = SITE.replace('color = "#c24100"', 'color = "#ff8f57"')
    _, problems = load(tmp_path, text)
    [error] = problems.errors
    assert error.path == "site/site.toml"
    assert error.line == line_of(text, 'color = "#ff8f57"')
    assert error.message == ("stance 'disputes': color #ff8f57 has a contrast of 2.15:1 on the "
                             "light background #fbfaf7; text needs 4.5:1 (WCAG AA)")
    suggested = re.search(r'color = "(#[0-9a-f]{6})"', error.hint).group(1)
    assert all(config.contrast(suggested, bg) >= 4.5 for bg in config.BACKGROUNDS["light"])


def test_a_dark_colour_too_dim_for_the_dark_theme_is_an_error(tmp_path: Path):
    text = SITE.replace('dark_color = "#6cbcf0"', 'dark_color = "#0064a0"')
    _, problems = load(tmp_path, text)
    [error] = problems.errors
    assert error.line == line_of(text, 'dark_color = "#0064a0"')
    assert error.message.startswith("stance 'reports': dark_color #0064a0 has a contrast of 2.")
    assert "on the dark background #1e2127" in error.message


def test_without_dark_color_the_light_colour_must_also_pass_in_dark_mode(tmp_path: Path):
    text = SITE.replace('dark_color = "#3fcfa4"\n', "")
    _, problems = load(tmp_path, text)
    [error] = problems.errors
    assert error.line == line_of(text, 'color = "#00795a"')
    assert "dark_color #00795a" in error.message and "dark_color is not set" in error.message


def test_a_base_url_without_a_host_is_one_warning_at_its_line(tmp_path: Path):
    loaded, problems = load(tmp_path, SITE)
    [warning] = problems.items
    assert warning.warning and warning.line == line_of(SITE, 'base_url = "/"')
    assert "canonical" in warning.message and "sitemap.xml" in warning.message
    assert not loaded.absolute
    loaded, problems = load(tmp_path, SITE.replace('"/"', '"https://news.example.com/x"'))
    assert problems.items == [] and loaded.base_url == "https://news.example.com/x/"


def test_a_failing_stance_colour_stops_the_build(tmp_path: Path):
    paths = make_project(tmp_path / "p", {
        "content/a.md": VALID_STORY,
        "site/site.toml": SITE.replace('color = "#8a5a00"', 'color = "#f2b84b"')})
    with pytest.raises(BuildFailed) as failed:
        pipeline.check(paths)
    assert [(p.path, p.line) for p in failed.value.errors] == [
        ("site/site.toml", line_of(SITE, 'color = "#8a5a00"'))]
    assert "stance 'questions': color #f2b84b" in failed.value.errors[0].message
