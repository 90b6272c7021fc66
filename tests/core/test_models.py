"""Core models on their own: organisation codes and a CCG's successor."""

import pytest
from django.core.exceptions import ValidationError

from ccg_involvement.models import Organisation
from tests.factories.core import CCGFactory, OrganisationFactory


@pytest.mark.django_db
def test_ods_code_is_stored_upper_case_and_validated():
    org = OrganisationFactory(ods_code="qab")
    assert org.ods_code == "QAB"
    bad = Organisation(name="x", ods_code="AD MIN", kind="ICB")
    with pytest.raises(ValidationError) as excinfo:
        bad.full_clean()
    assert "ods_code" in excinfo.value.message_dict
    reserved = Organisation(name="x", ods_code="ADMIN", kind="ICB")
    with pytest.raises(ValidationError, match="reserved"):
        reserved.full_clean()


@pytest.mark.django_db
def test_ccg_history_stays_reachable_through_its_successor():
    icb = OrganisationFactory()
    ccg = CCGFactory(successor=icb)
    assert list(icb.predecessors.all()) == [ccg]
    assert not ccg.is_active
