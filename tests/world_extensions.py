"""Objects each app adds to the URL-walk ``world`` (so every URL can be built with real IDs).

Each function takes the world built so far and returns a dict of new entries.
"""


def duties(world):
    from ccg_involvement.years import ReportingYear
    from duties import actions
    from duties.models import Framework

    checklist = actions.start_checklist(
        organisation=world["organisation"],
        framework=Framework.objects.get(code="WPPC22", is_current=True),
        year=ReportingYear(2025),
        by=world["editor"].user,
    )
    item = checklist.items.order_by("duty__number").first()
    item.documents.add(world["document"])
    return {"checklist": checklist, "item": item}


EXTENSIONS = [duties]
