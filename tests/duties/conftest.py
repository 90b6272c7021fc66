"""Fixtures shared by the duties tests."""

import pytest

from tests.factories.duties import checklist_for


@pytest.fixture
def checklist(editor):
    """The s14Z45 checklist of 2025/26, started by the editor."""
    return checklist_for(editor)
