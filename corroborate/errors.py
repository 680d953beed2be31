"""Errors a user can fix: each message names the file and the fix."""


class CorroborateError(Exception):
    """Something the user can fix; the CLI prints it without a traceback."""


class InputError(CorroborateError):
    """An input file or folder cannot be used as given."""


class ModelError(CorroborateError):
    """The sentence-embedding or relation model is missing or broken."""
