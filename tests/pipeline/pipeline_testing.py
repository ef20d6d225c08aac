"""Helpers of the pipeline tests: a simulated BIDS study, a loopback Dask cluster
started as separate processes, and headless Chromium driven over DevTools."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
N_SUBJECTS = 20


def write_study(root: Path, n_subjects: int) -> Path:
    """A BIDS EEG study (mne-bids, EDF) of simulated subjects, seeds 0..n-1."""
    import mne
    from mne_bids import BIDSPath, write_raw_bids

    from neurokit_ai.datasets import simulate_eeg

    for i in range(n_subjects):
        rec = simulate_eeg(
            n_channels=32, duration=24.0, sfreq=128.0, n_events=24, random_state=i
        )
        raw = rec.to_mne()
        ann = rec.annotations
        raw.set_annotations(mne.Annotations(ann.onset, ann.duration, ann.description))
        path = BIDSPath(subject=f"{i + 1:02d}", task="faces", datatype="eeg", root=root)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            write_raw_bids(
                raw, path, format="EDF", allow_preload=True, overwrite=True, verbose=0
            )
    return root


def pipeline_dict(root: Path, out: Path, *, report: bool = False) -> dict:
    """Filter → epoch → decode faces vs houses → RDM (→ report)."""
    stages: list = [
        {"filter": {"l_freq": 1.0, "h_freq": 30.0}},
        {
            "epoch": {
                "tmin": -0.2,
                "tmax": 0.5,
                "baseline": [-0.2, 0.0],
                "window": [0.12, 0.22],
            }
        },
        {"decode_conditions": {"cv": 4, "C": 0.1, "n_jobs": 2}},
        {"rdm": {"method": "euclidean"}},
    ]
    if report:
        stages += ["band_power", "report"]
    return {
        "name": "faces",
        "inputs": {"bids_root": str(root), "tasks": ["faces"]},
        "derivatives": str(out),
        "stages": stages,
    }


def output_files(root: Path) -> dict[str, bytes]:
    """Every output of a run, by relative path (the run logs left out)."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "logs" not in p.relative_to(root).parts
    }


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")])
    env["MPLBACKEND"] = "Agg"
    return env


def stop(process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    """Stop a process we started, by its id, waiting at most 10 s."""
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


class LoopbackCluster:
    """``dask scheduler`` and ``dask worker`` processes on 127.0.0.1."""

    def __init__(self, folder: Path, n_workers: int) -> None:
        self.folder = folder
        self.scheduler_file = folder / "scheduler.json"
        self.workers: list[subprocess.Popen] = []
        self.scheduler = self._spawn(
            "distributed.cli.dask_scheduler",
            "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
            "--scheduler-file", str(self.scheduler_file),
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while not self.scheduler_file.is_file():
            if time.monotonic() > deadline or self.scheduler.poll() is not None:
                self.close()
                raise RuntimeError("the dask scheduler did not start within 60 s")
            time.sleep(0.1)
        self.address = json.loads(self.scheduler_file.read_text())["address"]
        for _ in range(n_workers):
            self.workers.append(
                self._spawn(
                    "distributed.cli.dask_worker",
                    "--scheduler-file",
                    str(self.scheduler_file),
                    "--host",
                    "127.0.0.1",
                    "--nthreads",
                    "1",
                    "--no-nanny",
                    "--no-dashboard",
                    "--death-timeout",
                    "30",
                )  # fmt: skip
            )
        self._wait_for_workers(n_workers)

    def _spawn(self, module: str, *args: str) -> subprocess.Popen:
        log = open(self.folder / f"{module.rsplit('.', 1)[-1]}.log", "ab")
        return subprocess.Popen(
            [sys.executable, "-m", module, *args],
            cwd=self.folder,
            env=_env(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def _wait_for_workers(self, n: int) -> None:
        from distributed import Client

        with Client(self.address, timeout=30) as client:
            client.wait_for_workers(n, timeout=60)

    def close(self) -> None:
        for process in [*self.workers, self.scheduler]:
            stop(process)


def spawn_python(code: str, cwd: Path) -> subprocess.Popen:
    """Run Python code in a child process (stopped by the caller)."""
    return subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=cwd,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


# ----------------------------------------------------------------- Chromium

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-port=0",
    "--remote-allow-origins=*",
)


def chromium_binary() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


class PageCheck:
    """What a page did when loaded: console errors, exceptions, DOM facts."""

    def __init__(self, errors: list[str], headings: list[str], images: dict) -> None:
        self.errors = errors
        self.headings = headings
        self.images = images


def _devtools_page(binary: str, profile: Path) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen(
        [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "about:blank"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    port_file = profile / "DevToolsActivePort"
    deadline = time.monotonic() + 30
    while not (port_file.is_file() and port_file.read_text().strip()):
        if time.monotonic() > deadline or process.poll() is not None:
            stop(process, signal.SIGKILL)
            raise RuntimeError("chromium did not open its DevTools port within 30 s")
        time.sleep(0.1)
    port = port_file.read_text().split()[0]
    from urllib.request import urlopen

    deadline = time.monotonic() + 10
    while True:
        try:
            with urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5) as resp:
                targets = json.loads(resp.read())
            page = next(t for t in targets if t.get("type") == "page")
            return process, page["webSocketDebuggerUrl"]
        except (OSError, StopIteration):
            if time.monotonic() > deadline:
                stop(process, signal.SIGKILL)
                raise
            time.sleep(0.1)


def open_in_chromium(path: Path, timeout: float = 30.0) -> PageCheck:
    """Load ``path`` in headless Chromium; collect console errors and the DOM."""
    import websocket

    binary = chromium_binary()
    profile = Path(tempfile.mkdtemp(prefix="chromium-profile-"))
    process, ws_url = _devtools_page(binary, profile)
    errors: list[str] = []
    try:
        ws = websocket.create_connection(ws_url, timeout=timeout)
        counter = iter(range(1, 10**6))

        def call(method: str, **params) -> dict:
            ident = next(counter)
            ws.send(json.dumps({"id": ident, "method": method, "params": params}))
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                msg = json.loads(ws.recv())
                _collect(msg, errors)
                if msg.get("id") == ident:
                    if "error" in msg:
                        raise RuntimeError(f"{method}: {msg['error']}")
                    return msg.get("result", {})
            raise TimeoutError(method)

        call("Runtime.enable")
        call("Log.enable")
        call("Page.enable")
        call("Page.navigate", url=path.resolve().as_uri())
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            msg = json.loads(ws.recv())
            _collect(msg, errors)
            if msg.get("method") == "Page.loadEventFired":
                break
        else:
            raise TimeoutError(f"{path} did not load within {timeout} s")

        def evaluate(expr: str):
            result = call("Runtime.evaluate", expression=expr, returnByValue=True)
            return result["result"].get("value")

        headings = evaluate(
            "Array.from(document.querySelectorAll('h2'), h => h.textContent)"
        )
        images = evaluate(
            "({total: document.images.length, broken: Array.from(document.images)"
            ".filter(i => !(i.complete && i.naturalWidth > 0)).length})"
        )
        ws.close()
    finally:
        stop(process)
        shutil.rmtree(profile, ignore_errors=True)
    return PageCheck(errors, headings, images)


def _collect(msg: dict, errors: list[str]) -> None:
    method = msg.get("method")
    params = msg.get("params", {})
    if method == "Runtime.consoleAPICalled" and params.get("type") in (
        "error",
        "assert",
    ):
        errors.append(" ".join(str(a.get("value", a)) for a in params.get("args", [])))
    elif method == "Runtime.exceptionThrown":
        errors.append(str(params["exceptionDetails"].get("text")))
    elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
        errors.append(params["entry"].get("text", ""))
