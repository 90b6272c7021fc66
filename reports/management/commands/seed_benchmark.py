"""Seed a large synthetic data set for benchmarks: organisations × years × activities per year."""

import datetime
import random

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from ccg_involvement.freshness import record_change
from ccg_involvement.models import Membership, Organisation, OrganisationKind
from ccg_involvement.permissions import Role
from ccg_involvement.years import ReportingYear
from duties.models import Checklist, ChecklistItem, Framework, ItemStatus, Verdict
from engagements.models import (
    Activity,
    ActivityDuty,
    ActivityStatus,
    AudienceGroup,
    Method,
    Outcome,
    OutcomeStatus,
    Partner,
    Reach,
)

BATCH = 2000


class Command(BaseCommand):
    help = "Seed benchmark data: --organisations N --years Y --activities A (per organisation per year)."

    def add_arguments(self, parser):
        parser.add_argument("--organisations", type=int, default=4)
        parser.add_argument("--years", type=int, default=1)
        parser.add_argument("--activities", type=int, default=500)
        parser.add_argument("--first-year", type=int, default=ReportingYear.current().start_year)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--all-completed", action="store_true", help="Every activity completed (a past year's log)."
        )

    def handle(
        self, *args, organisations, years, activities, first_year, seed, all_completed=False, **options
    ):
        rng = random.Random(seed)
        self.statuses = [ActivityStatus.COMPLETED] if all_completed else list(ActivityStatus)
        User = get_user_model()
        user, _ = User.objects.get_or_create(
            username="bench", defaults={"first_name": "Bench", "last_name": "User"}
        )
        framework = Framework.objects.get(code="WPPC22", is_current=True)
        duties = list(framework.duties.all())
        methods, partners = list(Method.objects.all()), list(Partner.objects.all())
        groups = list(AudienceGroup.objects.all())
        start = Organisation.objects.filter(ods_code__startswith="B").count()
        for o in range(start, start + organisations):
            with transaction.atomic():
                org = Organisation.objects.create(
                    name=f"NHS Benchmark {o} Integrated Care Board",
                    ods_code=f"B{o:04d}",
                    kind=OrganisationKind.ICB,
                )
                Membership.objects.get_or_create(
                    user=user, organisation=org, defaults={"role": Role.REVIEWER}
                )
                for y in range(years):
                    year = ReportingYear(first_year - y)
                    self._year(rng, org, year, activities, user, framework, duties, methods, partners, groups)
            record_change(org.pk)  # bulk inserts send no signals
            self.stdout.write(f"organisation {org.ods_code}: {years} × {activities} activities")
        # Bulk loads leave the planner's statistics stale and the visibility map unset (no index-only
        # scans); production's autovacuum sees to both, so do the same before anything is measured.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")

    def _year(self, rng, org, year, n, user, framework, duties, methods, partners, groups):
        checklist = Checklist.objects.create(
            organisation=org, framework=framework, year=year.start_year, created_by=user
        )
        ChecklistItem.objects.bulk_create(
            [
                ChecklistItem(
                    checklist=checklist,
                    duty=d,
                    verdict=rng.choice([Verdict.MET, Verdict.PARTIALLY_MET, ""]),
                    status=rng.choice(list(ItemStatus)),
                    owner=user if rng.random() < 0.7 else None,
                    due_date=year.end - datetime.timedelta(days=rng.randint(0, 300)),
                )
                for d in duties
            ]
        )
        rows = [
            Activity(
                organisation=org,
                title=f"Activity {i} {year}",
                start_date=year.start + datetime.timedelta(days=rng.randint(0, 364)),
                status=rng.choice(self.statuses),
                total_participants=rng.choice([None, rng.randint(1, 400)]),
                created_by=user,
            )
            for i in range(n)
        ]
        # Every other random draw is made before the insert, in the order it always was (the data
        # set is the same for a seed), so each activity goes in with its end date: no bulk update.
        drawn = []
        for a in rows:
            a.end_date = a.start_date + datetime.timedelta(days=rng.randint(0, 20))
            method, partner = rng.choice(methods), rng.choice(partners)
            linked = rng.sample(duties, 2)
            reached = [(g, rng.randint(0, 60)) for g in rng.sample(groups, 4)]
            reported = None
            if a.status == ActivityStatus.COMPLETED:
                reported = a.end_date + datetime.timedelta(days=rng.randint(5, 60))
            drawn.append((method, partner, linked, reached, reported))
        created = Activity.objects.bulk_create(rows, batch_size=BATCH)
        m2m_methods, m2m_partners, links, reach, outcomes = [], [], [], [], []
        for a, (method, partner, linked, reached, reported) in zip(created, drawn, strict=True):
            m2m_methods.append(Activity.methods.through(activity_id=a.pk, method_id=method.pk))
            m2m_partners.append(Activity.partners.through(activity_id=a.pk, partner_id=partner.pk))
            links.extend(ActivityDuty(activity_id=a.pk, duty_id=d.pk) for d in linked)
            reach.extend(Reach(activity_id=a.pk, group_id=g.pk, count=count) for g, count in reached)
            if reported is not None:
                outcomes.append(
                    Outcome(
                        activity_id=a.pk,
                        what_we_heard="x",
                        what_we_did="y",
                        status=OutcomeStatus.DONE,
                        reported_back_on=reported,
                    )
                )
        Activity.methods.through.objects.bulk_create(m2m_methods, batch_size=BATCH)
        Activity.partners.through.objects.bulk_create(m2m_partners, batch_size=BATCH)
        ActivityDuty.objects.bulk_create(links, batch_size=BATCH)
        Reach.objects.bulk_create(reach, batch_size=BATCH)
        Outcome.objects.bulk_create(outcomes, batch_size=BATCH)
