"""Connecting to Dask: a loopback LocalCluster by default, or a given scheduler."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ..core import NeurokitError, ValidationError, check_scalar

__all__ = ["SchedulerUnreachableError", "connect", "inner_parallel_context"]

_ADDRESS = re.compile(r"^(?:(tcp|tls|ws|wss)://)?[^\s:/]+:\d{1,5}$")


class SchedulerUnreachableError(NeurokitError, ConnectionError):
    """The Dask scheduler named by ``--scheduler`` could not be reached."""


@contextmanager
def connect(
    scheduler: str | None = None, *, n_workers: int = 2, timeout: float = 10.0
) -> Iterator[Any]:
    """Yield a ``distributed.Client``; the cluster it started is closed on exit.

    Parameters
    ----------
    scheduler : str, optional
        Address of a running scheduler (``tcp://127.0.0.1:8786``). ``None``
        starts a :class:`distributed.LocalCluster` on 127.0.0.1 with
        ``n_workers`` single-threaded worker processes and no dashboard.
    n_workers : int
        Workers of the local cluster.
    timeout : float
        Seconds to wait for the scheduler.

    Raises
    ------
    SchedulerUnreachableError
        When no scheduler answers at ``scheduler`` within ``timeout``.

    Examples
    --------
    >>> with connect(n_workers=1) as client:  # doctest: +SKIP
    ...     client.submit(sum, [1, 2]).result()
    3
    """
    check_scalar(timeout, "timeout", min_val=0.1)
    try:
        from distributed import Client, LocalCluster
    except ImportError as err:
        raise NeurokitError(
            "Pipelines run on Dask; install it with pip install 'neurokit_ai"
            "[distributed]' (dask[distributed] and pyyaml)."
        ) from err
    if scheduler is None:
        n_workers = int(check_scalar(n_workers, "n_workers", min_val=1))
        with (
            LocalCluster(
                n_workers=n_workers,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
                silence_logs=40,
            ) as cluster,
            Client(cluster) as client,
        ):
            yield client
        return
    if not isinstance(scheduler, str) or not _ADDRESS.match(scheduler):
        raise ValidationError(
            f"scheduler {scheduler!r} is not a scheduler address; use host:port or "
            "tcp://host:port (e.g. tcp://127.0.0.1:8786)."
        )
    try:
        client = Client(scheduler, timeout=timeout)
    except (OSError, TimeoutError) as err:
        raise SchedulerUnreachableError(
            f"no Dask scheduler answered at {scheduler!r} within {timeout:g} s "
            f"({type(err).__name__}). Start one (dask scheduler; dask worker "
            f"{scheduler}) or leave --scheduler out to use a local cluster."
        ) from None
    with client:
        yield client


def inner_parallel_context() -> Any:
    """joblib's Dask backend inside a Dask worker, its default elsewhere.

    Stages keep scikit-learn's ``n_jobs`` convention; on a cluster their inner
    parallel loops become tasks of the same cluster.

    Examples
    --------
    >>> with inner_parallel_context():
    ...     pass
    """
    from contextlib import nullcontext

    try:
        from distributed import get_worker

        get_worker()
    except (ImportError, ValueError):
        return nullcontext()
    from joblib import parallel_config

    return parallel_config(backend="dask")
