"""The README's first session, run as written: taken from the README itself, against a fresh store.

`make run`'s recipe (from the Makefile) serves in a new, empty folder; the README's shell block runs in a
second shell in that folder, exactly as pasted there — only the port is changed from 8000 to a free one,
so the test never collides with a developer's running service. Every line must succeed, no answer may
be a problem, and the measure it approves must end approved with its history.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import httpx2 as httpx
import pytest

from tests.pg_cluster import free_port

ROOT = Path(__file__).resolve().parents[2]


def first_session() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## A first session", 1)[1]
    return re.search(r"```sh\n(.*?)```", section, re.S).group(1)


def run_recipe() -> list[str]:
    """`make run`'s command, with the Makefile's $(BIN) as the virtual environment's bin folder."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^run:.*\n\t(.+)$", makefile, re.M).group(1)
    return recipe.replace("$(BIN)", ".venv/bin").split()


@pytest.fixture
def fresh_folder(tmp_path: Path) -> Path:
    (tmp_path / ".venv").symlink_to(Path(os.environ.get("VIRTUAL_ENV", ROOT / ".venv")).resolve())
    return tmp_path


def test_the_first_session_runs_as_the_readme_writes_it(fresh_folder: Path) -> None:
    venv_bin = fresh_folder / ".venv" / "bin"
    if not (venv_bin / "prongsai").exists():
        pytest.fail(f"the README's commands need {venv_bin / 'prongsai'} (make installs it)")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRONGSAI_")}  # the defaults, as a newcomer has
    server = subprocess.Popen(
        [*run_recipe(), "--port", str(port)],
        cwd=fresh_folder,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        listening = server.stderr.readline()
        while "listening on" not in listening and server.poll() is None:
            listening = server.stderr.readline()
        assert "listening on" in listening, "make run never said where it listens"
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        script = first_session().replace("localhost:8000", f"localhost:{port}")
        session = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", script],
            cwd=fresh_folder,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    assert session.returncode == 0, session.stderr
    answers, text, at = [], session.stdout, 0
    while text[at:].strip():  # curl prints the answers one after another, without line breaks
        answer, at = json.JSONDecoder().raw_decode(text, len(text) - len(text[at:].lstrip()))
        answers.append(answer)
    assert len(answers) == 5, session.stdout  # list, submit, approve, history, public list
    for answer in answers:
        assert not (isinstance(answer, dict) and "problems/" in str(answer.get("type", ""))), answer
    listed, submitted, approved, history, public = answers
    assert listed and submitted["status"] == "submitted" and approved["status"] == "approved"
    assert approved["id"] == listed[0]["id"]
    assert [e["type"] for e in history][-2:] == ["SubmittedForApproval", "Approved"]
    assert isinstance(public, list)
