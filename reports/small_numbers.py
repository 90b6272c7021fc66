"""Small-number suppression: counts of people from 1 up to the threshold are not shown exactly."""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class PeopleCount:
    """A count of people as it may be shown: exact, suppressed ("fewer than 5") or not recorded."""

    value: int | None
    threshold: int

    @property
    def is_recorded(self) -> bool:
        return self.value is not None

    @property
    def is_suppressed(self) -> bool:
        return self.value is not None and 0 < self.value < self.threshold

    @property
    def display(self) -> str:
        if self.value is None:
            return "not recorded"
        if self.is_suppressed:
            return f"fewer than {self.threshold}"
        return f"{self.value:,}"

    @property
    def chart_value(self) -> int:
        """What a chart may draw: suppressed counts are drawn as 0 and labelled."""
        return 0 if self.value is None or self.is_suppressed else self.value

    def __str__(self):
        return self.display


def people(value: int | None, threshold: int | None = None) -> PeopleCount:
    return PeopleCount(value, settings.SMALL_NUMBER_THRESHOLD if threshold is None else threshold)
