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


def engagements(world):
    import datetime

    from engagements import actions
    from engagements.inputs import ActivityInput
    from engagements.models import ImportBatch

    activity = actions.save_activity(
        organisation=world["organisation"],
        by=world["editor"].user,
        data=ActivityInput(
            title="Listening event", start_date=datetime.date(2025, 5, 1), duties=[world["item"].duty]
        ),
    )
    activity.documents.add(world["document"])
    outcome = actions.add_outcome(
        activity=activity, by=world["editor"].user, what_we_heard="Heard", what_we_did="Did", status="done"
    )
    batch = ImportBatch.objects.create(
        organisation=world["organisation"], uploaded_by=world["editor"].user, file_name="a.csv", rows=[]
    )
    from engagements.import_actions import create_import_batch
    from engagements.models import ImportMapping

    mapped_batch = create_import_batch(
        organisation=world["organisation"],
        by=world["editor"].user,
        file_name="own.csv",
        data=b"Date of event,Event,Notes\n14/10/2025,Drop-in,Room 2\n",
    )
    mapping = ImportMapping.objects.create(
        organisation=world["organisation"],
        name="Our log",
        columns={"date of event": "start_date", "event": "title", "notes": ""},
        created_by=world["editor"].user,
    )
    return {
        "mapped_batch": mapped_batch,
        "import_mapping": mapping,
        "activity": activity,
        "outcome": outcome,
        "duty_link": activity.duty_links.get(),
        "import_batch": batch,
    }


def reports(world):
    import hashlib

    from django.core.files.base import ContentFile

    from reports.models import Report

    data = b"%PDF-1.4 test"
    report = Report(
        organisation=world["organisation"],
        kind="assurance_pack",
        format="pdf",
        year=2025,
        requested_by=world["editor"].user,
        status="done",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        file_name="pack.pdf",
    )
    report.save()
    report.file.save("pack.pdf", ContentFile(data))
    return {"report": report}


def proposals(world):
    from engagements.proposals import actions as proposal_actions
    from engagements.proposals.models import Trigger

    proposal = proposal_actions.create_proposal(
        organisation=world["organisation"],
        by=world["editor"].user,
        values={"title": "Move the minor injuries unit", "trigger": Trigger.objects.get(code="TRIGGER-MOVE")},
    )
    proposal.documents.add(world["document"])
    proposal_actions.link_activity(proposal=proposal, activity=world["activity"], by=world["editor"].user)
    return {"proposal": proposal}


EXTENSIONS = [duties, engagements, reports, proposals]
