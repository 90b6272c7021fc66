"""Choices shown as NHS.UK tags: each choice's colour is defined with the choice."""

from django.db import models

# The colours of nhsuk-frontend's tag component (``nhsuk-tag--<colour>``).
TAG_COLOURS = frozenset(
    ["white", "grey", "green", "aqua-green", "blue", "purple", "pink", "red", "orange", "yellow"]
)


class TaggedChoices(models.TextChoices):
    """TextChoices whose members are shown as NHS.UK tags by ``{% status_tag %}``.

    A subclass maps every value to a tag colour in ``tag_colours``, wrapped in
    ``enum.nonmember`` so that the mapping is not taken for a choice::

        class ItemStatus(TaggedChoices):
            TODO = "todo", "To do"
            REVIEWED = "reviewed", "Reviewed"

            tag_colours = enum.nonmember({"todo": "grey", "reviewed": "green"})
    """

    @property
    def tag_colour(self) -> str:
        return self.tag_colours[self.value]
