"""The ``neurokit-ai`` command: ``info`` on a recording file, and the ``demo``.

Errors raised on purpose (:class:`~neurokit_ai.core.NeurokitError`) print
``error: <message>`` on stderr and exit with status 2; ``--verbose`` adds the
traceback.

Examples
--------
>>> from neurokit_ai.cli import main
>>> main(["info", "sub-01_task-rest_eeg.edf", "--json"])  # doctest: +SKIP
0
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..core import NeurokitError, Recording, SpikeTrains, ValidationError
from ._celltypes import add_celltypes_parser
from ._clean import add_clean_parser
from ._connectome import add_connectome_parser
from ._decode import add_decode_parser
from ._rsa import add_rsa_parser
from ._run import add_run_parser
from ._speech import add_speech_parser
from ._spiking import add_spiking_parser

__all__ = ["main", "build_parser", "describe", "format_description", "parse_option"]

_MAX_LABELS = 20


def parse_option(text: str) -> tuple[str, Any]:
    """Split ``KEY=VALUE``; the value is parsed as JSON when it can be.

    Examples
    --------
    >>> parse_option("fs=30")
    ('fs', 30)
    >>> parse_option('covariates=["handPos"]')
    ('covariates', ['handPos'])
    >>> parse_option("format=suite2p")
    ('format', 'suite2p')
    """
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key.isidentifier():
        raise ValidationError(
            f"--option expects KEY=VALUE with KEY a Python identifier, got {text!r}. "
            "Example: --option fs=30."
        )
    try:
        return key, json.loads(raw)
    except json.JSONDecodeError:
        return key, raw


def describe(obj: Any) -> dict[str, Any]:
    """Return a JSON-ready description of what :func:`read_recording` returned.

    Examples
    --------
    >>> from neurokit_ai import SpikeTrains
    >>> describe(SpikeTrains([[0.1, 0.2], [0.5]], t_start=0.0, t_stop=1.0))["n_spikes"]
    3
    """
    if isinstance(obj, Recording):
        return {"object": "Recording", **obj.summary()}
    if isinstance(obj, SpikeTrains):
        counts = obj.n_spikes()
        return {
            "object": "SpikeTrains",
            "source": obj.source,
            "n_units": obj.n_units,
            "n_spikes": int(counts.sum()),
            "spikes_per_unit": dict(zip(obj.unit_names, counts.tolist())),
            "t_start": obj.t_start,
            "t_stop": obj.t_stop,
            "duration_s": obj.duration,
        }
    from ..io import ImagingMovie

    if isinstance(obj, ImagingMovie):
        return {
            "object": "ImagingMovie",
            "source": obj.source,
            "dims": list(obj.dims),
            "shape": [int(n) for n in obj.shape],
            "n_frames": obj.n_frames,
            "fs": obj.fs,
            "duration_s": None if obj.fs is None else obj.n_frames / obj.fs,
            "dtype": str(obj.data.dtype),
        }
    return {"object": type(obj).__name__, "repr": repr(obj)[:200]}


def _counts_text(counts: dict[str, int]) -> str:
    items = [f"{k}: {v}" for k, v in list(counts.items())[:_MAX_LABELS]]
    if len(counts) > _MAX_LABELS:
        items.append(f"... ({len(counts) - _MAX_LABELS} more)")
    return ", ".join(items)


def format_description(info: dict[str, Any]) -> str:
    """Render :func:`describe`'s dict as aligned ``label: value`` lines."""
    if info["object"] == "Recording":
        lines = [
            ("object", f"Recording ({info['modality']})"),
            ("shape", f"{info['n_channels']} channels × {info['n_times']} samples"),
            ("sampling rate", f"{info['sfreq']:g} Hz"),
            ("duration", f"{info['duration_s']:.6g} s"),
            ("channel types", _counts_text(info["channel_types"])),
            (
                "annotations",
                f"{info['n_annotations']}"
                + (
                    f" ({_counts_text(info['annotation_counts'])})"
                    if info["n_annotations"]
                    else ""
                ),
            ),
            ("positions", "yes" if info["has_positions"] else "no"),
        ]
    elif info["object"] == "SpikeTrains":
        lines = [
            ("object", "SpikeTrains"),
            ("units", str(info["n_units"])),
            ("spikes", f"{info['n_spikes']} ({_counts_text(info['spikes_per_unit'])})"),
            (
                "interval",
                f"{info['t_start']:g}–{info['t_stop']:g} s "
                f"({info['duration_s']:.6g} s)",
            ),
        ]
    elif info["object"] == "ImagingMovie":
        rate = (
            "unknown (pass --option fs=<Hz>)"
            if info["fs"] is None
            else (f"{info['fs']:g} Hz")
        )
        lines = [
            ("object", "ImagingMovie"),
            (
                "shape",
                " × ".join(f"{n} {d}" for d, n in zip(info["dims"], info["shape"])),
            ),
            ("frame rate", rate),
            ("dtype", info["dtype"]),
        ]
        if info["duration_s"] is not None:
            lines.insert(3, ("duration", f"{info['duration_s']:.6g} s"))
    else:
        lines = [("object", info["object"]), ("value", info["repr"])]
    if info.get("source"):
        lines.insert(0, ("source", str(info["source"])))
    width = max(len(label) for label, _ in lines) + 1
    return "\n".join(f"{label + ':':<{width}} {value}" for label, value in lines)


def _run_info(args: argparse.Namespace) -> int:
    from ..io import read_recording

    options = dict(parse_option(text) for text in args.option)
    obj = read_recording(args.path, **options)
    info = describe(obj)
    if args.json:
        print(json.dumps(info, indent=2, default=str))
    else:
        print(format_description(info))
    return 0


def _run_demo(args: argparse.Namespace) -> int:
    from tqdm.auto import tqdm

    from ..viz import run_demo

    def echo(line: str) -> None:
        tqdm.write(line, file=sys.stdout)

    run_demo(Path(args.out), progress=not args.quiet, echo=echo)
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Return the ``neurokit-ai`` argument parser."""
    verbose = argparse.ArgumentParser(add_help=False)
    verbose.add_argument(
        "--verbose",
        action="store_true",
        default=argparse.SUPPRESS,
        help="show the full traceback on errors",
    )
    parser = argparse.ArgumentParser(
        prog="neurokit-ai",
        description="Load lab recordings and run neurokit_ai's sample pipeline.",
    )
    parser.add_argument(
        "--verbose", action="store_true", help="show the full traceback on errors"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    info = commands.add_parser(
        "info", parents=[verbose], help="describe what a recording file holds"
    )
    info.add_argument("path", help="recording file (or suite2p folder)")
    info.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="reader option, value parsed as JSON when possible (repeatable), "
        "e.g. --option fs=30",
    )
    info.add_argument("--json", action="store_true", help="print JSON")
    info.set_defaults(handler=_run_info)
    demo = commands.add_parser(
        "demo",
        parents=[verbose],
        help="run the sample pipeline on the bundled samples and write a report",
    )
    demo.add_argument(
        "--out",
        default="neurokit_ai_demo",
        help="output folder (default: ./neurokit_ai_demo)",
    )
    demo.add_argument("--quiet", action="store_true", help="no progress bar")
    demo.set_defaults(handler=_run_demo)
    add_rsa_parser(commands)
    add_decode_parser(commands)
    add_run_parser(commands)
    add_connectome_parser(commands)
    add_celltypes_parser(commands)
    add_spiking_parser(commands)
    add_speech_parser(commands)
    add_clean_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``neurokit-ai`` command and return its exit status.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        0 on success, 2 on a usage error or a :class:`NeurokitError`, 1 on an
        unexpected error, 130 when interrupted.

    Examples
    --------
    >>> main(["info", "missing.edf"])  # doctest: +SKIP
    error: path: 'missing.edf' does not exist. ...
    2
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 2
    try:
        return args.handler(args)
    except NeurokitError as exc:
        if args.verbose:
            traceback.print_exc()
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if args.verbose:
            traceback.print_exc()
        print(
            f"error: unexpected {type(exc).__name__}: {exc} (run with --verbose for "
            "the traceback)",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
