"""Fixtures and page helpers shared by the proposal tests."""

import pytest

from tests.factories.proposals import proposal_for


@pytest.fixture
def proposal(editor):
    return proposal_for(editor)
