"""Errors the user can act on, each with its own process exit code.

The CLI turns these into one line on stderr (``xyconvert: FILE: problem``) and
exits with ``exit_code``; anything else is a bug and exits with INTERNAL.
"""

from __future__ import annotations

# Exit codes, documented in the README. Click's own usage errors exit with 2.
OK = 0
USAGE = 2
INPUT_NOT_FOUND = 3
UNREADABLE_INPUT = 4  # empty, binary, undecodable, corrupt
ENCRYPTED = 5
NO_TEXT_LAYER = 6
NO_TRANSLATION_MODEL = 7
PARTIAL_FAILURE = 8  # batch: some inputs failed
OUTPUT_ERROR = 9  # cannot write an output, or would replace one from another input
TIMEOUT = 10  # batch: an input took longer than --timeout
CHARACTERS_LOST = 11  # xyconvert check: characters unaccounted for
INTERRUPTED = 130  # Ctrl-C
INTERNAL = 70


def shown(obj: object) -> str:
    """``str(obj)`` safe to print or encode: bytes of a non-UTF-8 file name become U+FFFD."""
    return str(obj).encode("utf-8", "surrogateescape").decode("utf-8", "replace")


class XyError(Exception):
    """A problem with one input or output, reported to the user in one line."""

    exit_code = INTERNAL

    def __init__(self, path: object, problem: str) -> None:
        self.path = shown(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class InputNotFound(XyError):
    exit_code = INPUT_NOT_FOUND


class UnreadableInput(XyError):
    exit_code = UNREADABLE_INPUT


class EncryptedInput(XyError):
    exit_code = ENCRYPTED


class NoTextLayer(XyError):
    exit_code = NO_TEXT_LAYER


class NoTranslationModel(XyError):
    exit_code = NO_TRANSLATION_MODEL


class OutputError(XyError):
    exit_code = OUTPUT_ERROR
