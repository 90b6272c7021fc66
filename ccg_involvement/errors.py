class ActionError(Exception):
    """A business rule refused an action; ``str(error)`` is a message for the user."""
