"""The ``neurokit-ai`` command line: ``info``, ``demo``, ``rsa``, ``decode``."""

from ._main import build_parser, describe, format_description, main, parse_option

__all__ = ["build_parser", "describe", "format_description", "main", "parse_option"]
