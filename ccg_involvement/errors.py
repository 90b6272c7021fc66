from dataclasses import dataclass


class ActionError(Exception):
    """A business rule refused an action; ``str(error)`` is a message for the user."""


@dataclass(frozen=True)
class Problem:
    """One broken rule about one field of an input.

    ``message`` is shown next to the field on a form (NHS.UK style: no full stop); ``sentence`` is
    the same problem in running text (an action's error, an import row), defaulting to ``message``.
    """

    field: str | None
    message: str
    sentence: str = ""

    def __post_init__(self):
        if not self.sentence:
            object.__setattr__(self, "sentence", self.message)


class InvalidInput(ActionError):
    """An action refused its input; ``problems`` says which fields are wrong and why."""

    def __init__(self, problems):
        self.problems = tuple(problems)
        super().__init__(str(self))

    def __str__(self):
        return " ".join(problem.sentence for problem in self.problems)


def add_to_form(form, error: ActionError):
    """Show an action's refusal on ``form``: each problem on its field, anything else at the top."""
    if not isinstance(error, InvalidInput):
        form.add_error(None, str(error))
        return
    for problem in error.problems:
        form.add_error(problem.field if problem.field in form.fields else None, problem.message)
