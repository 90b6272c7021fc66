"""The duties app's choices: what kind of obligation an item is, how certain its wording is, and an
item's status and verdict (with the colours of their tags)."""

import enum

from django.db import models

from ccg_involvement.choices import TaggedChoices


class Importance(models.TextChoices):
    """What kind of obligation an item is, in the law's own terms (issue 14): a duty in the Act, an
    expectation of statutory guidance (which the body must have regard to), or policy / assessment."""

    STATUTORY = "statutory", "Statutory duty"
    """Restates a duty in the Act itself."""
    CORE = "core", "Statutory guidance"
    """A key expectation of the statutory guidance."""
    SUPPORTING = "supporting", "Statutory guidance (enabling action)"
    """An enabling action (training, tools) the statutory guidance expects."""
    POLICY = "policy", "Policy or assessment"
    """Not legislation or statutory guidance: an NHS England policy or assessment (e.g. the IAF)."""
    ANALOGY = "analogy", "Another body's guidance, applied by analogy"
    """Statutory guidance written for another body (the 2017 s14U guidance for CCGs), applied to this
    one because no guidance of its own could be verified: not statutory guidance for this body."""


class Verification(models.TextChoices):
    """How far the item's wording was checked against its source (domain.md's V / P / U)."""

    VERIFIED = "V", "Verified against the source"
    PARTLY = "P", "Partly verified: the name is confirmed, the wording is our paraphrase"
    UNVERIFIED = "U", "Unverified wording: check it against the published guidance"


class ItemStatus(TaggedChoices):
    TODO = "todo", "To do"
    """Nobody has worked on it yet this year."""
    IN_PROGRESS = "in_progress", "In progress"
    """Someone is gathering evidence or writing the narrative."""
    READY_FOR_REVIEW = "ready_for_review", "Ready for review"
    """The owner thinks it is done; a reviewer should look."""
    REVIEWED = "reviewed", "Reviewed"
    """A reviewer has checked it. Any later edit sends it back to ready for review."""

    tag_colours = enum.nonmember(
        {"todo": "grey", "in_progress": "blue", "ready_for_review": "yellow", "reviewed": "green"}
    )


class Verdict(TaggedChoices):
    MET = "met", "Met"
    """The duty is met, with evidence."""
    PARTIALLY_MET = "partially_met", "Partially met"
    """Some of it is met; planned actions say what is missing."""
    NOT_MET = "not_met", "Not met"
    """Not met this year."""
    NOT_APPLICABLE = "not_applicable", "Not applicable"
    """Does not apply to this organisation this year; a reason is required."""

    tag_colours = enum.nonmember(
        {"met": "green", "partially_met": "orange", "not_met": "red", "not_applicable": "grey"}
    )
