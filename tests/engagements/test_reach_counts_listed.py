"""Numbers in the “Groups reached (number not recorded)” column (issue 15): “Carers (12)” and
“Carers: 12” are a count of 12 for that group, read as its own count column is (no group above the
total, “approx 30” with a warning, not also in its own column); a name alone is still reached, number
not recorded."""

from engagements.models import Activity, ImportBatch
from tests.engagements.test_import import IMPORT, REACH_HEADINGS, _batch_from, _csv_bytes, _upload

LISTED = "Groups reached (number not recorded)"


def _reach(activity):
    return {
        (r.group.code, r.category.code if r.category else None): r.count
        for r in activity.reach.select_related("group", "category")
    }


def _mapped_to_values(client, data):
    """Upload a log with headings When, What, Total, Who did we engage; map them; the values page's URL."""
    response = _upload(client, data)
    batch = ImportBatch.objects.get()
    columns_url = response["Location"]
    form = client.get(columns_url).context["form"]
    post = {name: form[name].value() for name in form.headings}
    keys = ["start_date", "title", "total_participants", "reach_uncounted"]
    post.update(dict(zip(form.headings, keys, strict=True)))
    return batch, client.post(columns_url, post)["Location"]


def test_groups_listed_with_numbers_are_counted(editor, login):
    client = login(editor)
    rows = [
        [
            "Drop-in",
            "01/05/2025",
            "Completed",
            "30",
            "",
            "",
            "",
            "Carers (12); Older people: 8, Gypsy, Roma and Traveller communities (approx 5); Age: 65 to 74",
        ],
    ]
    batch = _batch_from(_upload(client, _csv_bytes(rows, REACH_HEADINGS)))
    assert batch.error_count == 0, [r["errors"] for r in batch.rows]
    assert batch.rows[0]["warnings"] == [f"{LISTED}: “approx 5” was read as 5."]
    assert client.post(f"{IMPORT}{batch.pk}/").status_code == 302
    assert _reach(Activity.objects.get(title="Drop-in")) == {
        ("INC-CARERS", None): 12,
        ("INC-OLDER", None): 8,
        ("INC-GRT", None): 5,  # the comma in its name is still not a separator
        ("PC-AGE", "AGE-65-74"): None,  # a category's name with a colon is a name, not a number
    }


def test_numbers_in_the_list_follow_the_count_columns_rules(editor, login):
    client = login(editor)
    rows = [
        ["Over", "01/05/2025", "Completed", "10", "", "", "", "Carers (12)"],
        ["Both", "01/05/2025", "Completed", "20", "", "", "4", "Carers (6)"],
        ["Odd", "01/05/2025", "Completed", "20", "", "", "", "Carers (2.5)"],
    ]
    batch = _batch_from(_upload(client, _csv_bytes(rows, REACH_HEADINGS)))
    errors = [" ".join(r["errors"].values()) for r in batch.rows]
    assert "cannot be more than the activity's total participants" in errors[0], errors[0]
    assert "also has a number in its own column" in errors[1]
    assert "“2.5” after a group's name: Enter a whole number of people" in errors[2], errors[2]
    assert batch.error_count == 3 and not Activity.objects.exists()


def test_an_unknown_group_with_a_number_is_asked_about_by_its_name(editor, login):
    client = login(editor)
    headings = ["When", "What", "Total", "Who did we engage"]
    data = _csv_bytes([["01/05/2025", "Fair", "40", "Unpaid carers (14); Older people: 3"]], headings)
    batch, values_url = _mapped_to_values(client, data)
    form = client.get(values_url).context["form"]
    assert [written for _, written in form.written.values()] == ["Unpaid carers"]  # without its number
    name = next(iter(form.written))
    assert client.post(values_url, {name: "Carers"}).status_code == 302
    batch.refresh_from_db()
    assert batch.error_count == 0, [r["errors"] for r in batch.rows]
    assert client.post(f"{IMPORT}{batch.pk}/").status_code == 302
    assert _reach(Activity.objects.get(title="Fair")) == {("INC-CARERS", None): 14, ("INC-OLDER", None): 3}


def test_one_group_listed_twice_with_different_numbers_is_an_error_not_a_silent_choice(editor, login):
    client = login(editor)
    rows = [
        ["Twice", "01/05/2025", "Completed", "40", "", "", "", "Carers (12); Older people: 3; Carers: 5"],
        ["Same", "01/05/2025", "Completed", "40", "", "", "", "Carers (12); Carers (12)"],
    ]
    batch = _batch_from(_upload(client, _csv_bytes(rows, REACH_HEADINGS)))
    assert batch.rows[0]["errors"] == {
        LISTED: "A group is listed more than once with different numbers (“12” and “5”). "
        "Keep one number for each group."
    }
    assert batch.rows[1]["errors"] == {}  # the same number twice says the same thing
    assert not Activity.objects.exists()


def test_a_mapped_name_and_the_groups_own_name_with_different_numbers_is_an_error(editor, login):
    client = login(editor)
    headings = ["When", "What", "Total", "Who did we engage"]
    data = _csv_bytes([["01/05/2025", "Fair", "40", "Unpaid carers (14); Carers: 3"]], headings)
    batch, values_url = _mapped_to_values(client, data)
    name = next(iter(client.get(values_url).context["form"].written))
    client.post(values_url, {name: "Carers"})
    batch.refresh_from_db()
    assert batch.rows[0]["errors"] == {
        LISTED: "A group is listed more than once with different numbers (“3” and “14”). "
        "Keep one number for each group."
    }
