"""The errors policykit reports to people: one line, a file, a position, exit code 2."""

from __future__ import annotations


class PolicykitError(Exception):
    """Base class; `str(error)` is the one line shown to the user (`lines()`: the lines, when there are several)."""

    exit_code = 2

    def lines(self) -> tuple[str, ...]:
        return (str(self),)


class InputError(PolicykitError):
    """A file that looks like an input but cannot be read."""

    def __init__(self, file: str, message: str, line: int = 0, column: int = 0) -> None:
        self.file = file
        if "\n" in message or "\r" in message:  # one line, whatever a parser put in its message
            message = " ".join(part.strip() for part in message.splitlines())
        self.message = message
        self.line = line
        self.column = column
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}" + (f":{self.column}" if self.column else "")
        return f"{where}: {self.message}"


class PolicyError(PolicykitError):
    """A policy file that is malformed: one problem, or all of a file's at once (`several`), each one line naming
    the file, line and column."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.problems: tuple[str, ...] = (message,)

    @classmethod
    def several(cls, problems: list[str]) -> PolicyError:
        error = cls("\n".join(problems))
        error.problems = tuple(problems)
        return error

    def lines(self) -> tuple[str, ...]:
        return self.problems


class UsageError(PolicykitError):
    """A command line that cannot be carried out."""
