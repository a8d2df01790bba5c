"""A build on a Dask cluster (onrecord/builder/cluster.py): the same bytes as a local build, a dead
worker's task run again, and every failure one clear error with public/ untouched.

One LocalCluster of two spawned worker processes on 127.0.0.1 serves the whole module.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import dask
import pytest

from onrecord import cli
from onrecord.builder import cluster, pipeline, workers
from tests.conftest import REPO, VALID_STORY, make_project

SEED = {f"content/{p.name}": p.read_text(encoding="utf-8")
        for p in sorted((REPO / "content").glob("*.md"))}


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """The address of a 2-worker LocalCluster, stopped after the module's tests."""
    local = cluster.start_local(2)
    try:
        yield local.scheduler_address
    finally:
        local.close()


@pytest.fixture(scope="module")
def local_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed stories built without a cluster, in a process that must never import Dask."""
    root = tmp_path_factory.mktemp("local")
    make_project(root, SEED)
    check = ("import sys; from onrecord.cli import main; code = main(['build', '-q', '--root', "
             f"{str(root)!r}]); assert not {{'dask', 'distributed'}} & set(sys.modules); "
             "sys.exit(code)")
    env = {k: v for k, v in os.environ.items() if k != cli.SCHEDULER}
    done = subprocess.run([sys.executable, "-c", check], env={**env, "PYTHONPATH": str(REPO)},
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return root


def _copy_search_index(reference: Path, root: Path) -> None:
    """Pagefind writes different filter files on each run for the same pages, so its bundle
    is cached by the bytes of every page it indexes (onrecord/output/search.py). Sharing that
    cache, and only it, makes the search files comparable: it is used only if the pages
    are the same bytes."""
    shutil.copytree(reference / ".onrecord-cache" / "search", root / ".onrecord-cache" / "search")


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _same_site(reference: Path, root: Path) -> None:
    expected, built = _files(reference / "public"), _files(root / "public")
    assert sorted(built) == sorted(expected)
    different = [path for path in expected if built[path] != expected[path]]
    assert not different, f"differ from the local build: {different}"
    assert sorted(os.listdir(root / ".onrecord-cache" / "svg")) == sorted(
        os.listdir(reference / ".onrecord-cache" / "svg"))


@pytest.fixture
def drawing_forbidden_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """Charts and cards may be drawn only by the cluster, never by the build's own process
    or its local worker pool."""
    def refuse(work: list[workers.Batch], *args: object) -> None:
        if sum(map(len, work)):
            raise AssertionError("drawn by the build's own pool, not on the cluster")

    monkeypatch.setattr(workers, "collect", refuse)
    monkeypatch.setattr(workers, "prefetch", refuse)


def test_a_build_on_the_cluster_is_byte_identical_to_a_local_build(
        scheduler, local_build, tmp_path, monkeypatch, drawing_forbidden_here):
    monkeypatch.setattr(cluster, "BATCH", 1)   # a task a story: several tasks on two workers
    root = tmp_path / "on-cluster"
    make_project(root, SEED)
    _copy_search_index(local_build, root)
    assert cli.main(["build", "-q", "--root", str(root), "--scheduler", scheduler]) == 0
    _same_site(local_build, root)


def test_a_killed_worker_has_its_task_run_again(scheduler, local_build, tmp_path):
    root = tmp_path / "killed"
    paths = make_project(root, SEED)
    _copy_search_index(local_build, root)
    killed: list[str] = []
    with cluster.connect(scheduler) as connected:
        client = connected.client
        pids = client.run(os.getpid)
        build = threading.Thread(target=pipeline.build, args=(paths, pipeline.Options()),
                                 kwargs={"cluster": connected})
        build.start()
        while build.is_alive() and not killed:   # the first task a worker starts: kill it
            busy = {worker: keys for worker, keys in client.processing().items()
                    if any(str(k).startswith("onrecord-draw-") for k in keys)}
            for worker, keys in busy.items():
                os.kill(pids[worker], signal.SIGKILL)
                killed.extend(str(k) for k in keys)
                break
            time.sleep(0.01)
        build.join()
        stories = client.story(*killed)
    assert killed, "no task was seen running"
    scheduler_said = [(key, finish, why) for who, key, _, finish, _, why, _ in
                      (s for s in stories if s[0] == "scheduler")]
    for key in killed:   # put back when its worker died, then run again to the end
        states = [finish for k, finish, _ in scheduler_said if k == key]
        assert any(k == key and finish == "released" and why.startswith("handle-worker-cleanup")
                   for k, finish, why in scheduler_said), scheduler_said
        assert states.count("processing") >= 2 and "memory" in states, scheduler_said
    _same_site(local_build, root)


def test_a_chart_vega_cannot_draw_is_reported_on_its_story_line(scheduler, tmp_path, capsys):
    story = VALID_STORY.replace("{{ matrix }}", "{{ chart bad }}")
    line = story.splitlines().index("{{ chart bad }}") + 1
    paths = make_project(tmp_path / "bad", {
        "content/a.md": story,
        "site/charts/bad.json": json.dumps({"data": {"name": "quotes"}, "mark": "nonsense"})})
    paths.public.mkdir()
    (paths.public / "kept.html").write_text("the last good site")
    assert cli.main(["build", "--root", str(paths.root), "--scheduler", scheduler]) == 1
    err = capsys.readouterr().err
    assert f"content/a.md:{line}: chart 'bad' cannot be drawn" in err
    assert "site/charts/bad.json" in err and "Traceback" not in err
    assert os.listdir(paths.public) == ["kept.html"]


def test_an_unreachable_scheduler_is_one_clear_error_and_public_is_untouched(tmp_path, capsys):
    paths = make_project(tmp_path / "unreachable", SEED)
    paths.public.mkdir()
    (paths.public / "kept.html").write_text("the last good site")
    import socket

    with socket.socket() as closed:   # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{closed.getsockname()[1]}"
    with dask.config.set({"distributed.comm.timeouts.connect": "2s"}):
        assert cli.main(["build", "--root", str(paths.root), "--scheduler", address]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0].startswith(f"error: cannot reach the Dask scheduler at {address}")
    assert "dask scheduler" in err[0] and "Traceback" not in "\n".join(err)
    assert os.listdir(paths.public) == ["kept.html"]
    assert not (paths.root / ".onrecord-cache" / "svg").exists()


def test_without_dask_scheduler_says_what_to_install(tmp_path):
    paths = make_project(tmp_path / "no-dask", SEED)
    paths.public.mkdir()
    (paths.public / "kept.html").write_text("the last good site")
    no_dask = ("import sys; sys.modules['distributed'] = None; from onrecord.cli import main; "
               f"sys.exit(main(['build', '--root', {str(paths.root)!r}]))")
    env = {**os.environ, "PYTHONPATH": str(REPO), cli.SCHEDULER: "local:2"}
    done = subprocess.run([sys.executable, "-c", no_dask], env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 1
    assert "pip install 'onrecord[cluster]'" in done.stderr and "Traceback" not in done.stderr
    assert os.listdir(paths.public) == ["kept.html"]


def test_workers_that_would_draw_other_bytes_are_refused_at_connect(scheduler, monkeypatch):
    here = os.getpid()   # sent by value to the workers, where the pid differs
    monkeypatch.setattr(cluster, "identity",
                        lambda: "this build" if os.getpid() == here else "a worker")
    with pytest.raises(cluster.Unavailable) as refused, cluster.connect(scheduler):
        pass
    assert "a worker draws with a worker, but this build with this build" in str(refused.value)


def test_a_task_refuses_to_draw_for_another_setup():
    task = cluster.Task(workers.Batch(), ("content/a.md",), "On Record 0.0.0")
    with pytest.raises(cluster.Mismatch, match=r"this build with On Record 0\.0\.0"):
        cluster.draw(task)


def test_local_n_must_be_a_number_of_workers():
    with pytest.raises(cluster.Unavailable, match="local:N"):
        cluster._local_workers("local:two")
    assert cluster._local_workers("local:3") == 3


def test_the_cluster_extra_is_declared():
    import tomllib

    extras = tomllib.loads((REPO / "pyproject.toml").read_text())["project"][
        "optional-dependencies"]
    assert any(r.startswith("dask[distributed]") for r in extras["cluster"])
