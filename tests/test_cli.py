"""The command line as a writer uses it: exit codes, messages, and an untouched public/."""

from __future__ import annotations

import hashlib
from pathlib import Path

from tests.conftest import VALID_STORY, make_project, run_cli


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under `folder` with a hash of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_build_with_no_arguments_builds_content_into_public(tmp_path: Path):
    root = tmp_path / "p"
    make_project(root, {"content/a-story.md": VALID_STORY})
    result = run_cli(cwd=root)
    assert result.returncode == 0, result.stderr
    assert "built 1 story" in result.stdout
    assert (root / "public" / "a-story" / "index.html").is_file()
    assert (root / "public" / "index.html").is_file()


def test_build_options_out_content_and_base_url(tmp_path: Path):
    root = tmp_path / "p"
    make_project(root, {"stories/a-story.md": VALID_STORY})
    out = tmp_path / "elsewhere"
    result = run_cli("build", "--content", "stories", "--out", str(out),
                     "--base-url", "https://example.org/explainers/", cwd=root)
    assert result.returncode == 0, result.stderr
    page = (out / "a-story" / "index.html").read_text()
    assert 'href="/explainers/static/style.' in page
    assert '<link rel="canonical" href="https://example.org/explainers/a-story/">' in page
    assert not (root / "public").exists()


def test_drafts_are_left_out_unless_asked_for(tmp_path: Path):
    root = tmp_path / "p"
    make_project(root, {"content/a-story.md": VALID_STORY.replace(
        "date: 2024-03-25\n", "date: 2024-03-25\ndraft: true\n", 1)})
    assert run_cli(cwd=root).returncode == 0
    assert not (root / "public" / "a-story").exists()
    assert run_cli("build", "--drafts", cwd=root).returncode == 0
    assert (root / "public" / "a-story" / "index.html").is_file()


def test_a_broken_story_exits_1_reports_every_problem_and_leaves_public_untouched(
        tmp_path: Path):
    root = tmp_path / "p"
    make_project(root, {"content/a-story.md": VALID_STORY})
    assert run_cli(cwd=root).returncode == 0
    before = snapshot(root / "public")
    broken = (VALID_STORY.replace("actor: peskov", "actor: peskov2")
              .replace("date: 2024-03-23", "date: 2024-02-30")
              .replace("{{ matrix }}", "{{ martix }}"))
    (root / "content" / "a-story.md").write_text(broken)
    (root / "content" / "other.md").write_text(VALID_STORY.replace("stance: supports",
                                                                   "stance: suports"))
    result = run_cli(cwd=root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert ("content/a-story.md:12: quote 1: actor 'peskov2' is not defined under 'actors'; "
            "did you mean 'peskov'?") in lines
    assert any(line.startswith("content/a-story.md:18: quote 2: date '2024-02-30' is not a "
                               "real date") for line in lines)
    assert "content/a-story.md:27: unknown directive '{{ martix }}'; did you mean 'matrix'?" \
        in lines
    assert ("content/other.md:20: quote 2: stance 'suports' is not defined in site/site.toml; "
            "did you mean 'supports'?") in lines
    assert "4 errors in 2 files" in result.stderr
    assert snapshot(root / "public") == before


def test_check_reports_without_writing(tmp_path: Path):
    root = tmp_path / "p"
    make_project(root, {"content/a-story.md": VALID_STORY})
    result = run_cli("check", cwd=root)
    assert result.returncode == 0, result.stderr
    assert not (root / "public").exists()
    (root / "content" / "a-story.md").write_text(VALID_STORY.replace("topic: is-responsible",
                                                                     "topic: responsible", 1))
    result = run_cli("check", cwd=root)
    assert result.returncode == 1
    assert "did you mean 'is-responsible'?" in result.stderr
    assert not (root / "public").exists()


def test_usage_errors_exit_2_and_help_documents_the_build_options(tmp_path: Path):
    result = run_cli("build", "--no-such-option", cwd=tmp_path)
    assert result.returncode == 2
    help_text = run_cli("build", "--help", cwd=tmp_path).stdout
    for option in ("--out", "--content", "--drafts", "--base-url"):
        assert option in help_text


def test_python_m_onrecord_is_the_same_program(tmp_path: Path):
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "onrecord", "--version"],
                            capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert result.returncode == 0 and result.stdout.startswith("onrecord ")


def test_a_missing_content_folder_is_a_clear_error_not_a_traceback(tmp_path: Path):
    root = tmp_path / "p"
    make_project(root, {})
    result = run_cli("build", "--content", "nowhere", cwd=root)
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    assert "nowhere" in result.stderr
