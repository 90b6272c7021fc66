import datetime

import factory
from django.contrib.auth import get_user_model

from ccg_involvement.models import Membership, Organisation, OrganisationKind
from ccg_involvement.permissions import Role

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.nhs.uk")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["ods_code"]

    name = factory.Sequence(lambda n: f"NHS Test Area {n} Integrated Care Board")
    ods_code = factory.Sequence(lambda n: f"Q{n:02d}" if n < 100 else f"Q{n}")
    kind = OrganisationKind.ICB
    established_on = datetime.date(2022, 7, 1)


class CCGFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"NHS Test Area {n} CCG")
    ods_code = factory.Sequence(lambda n: f"{n % 90 + 10:02d}T" if n < 90 else f"{n}T")
    kind = OrganisationKind.CCG
    established_on = datetime.date(2013, 4, 1)
    closed_on = datetime.date(2022, 6, 30)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.EDITOR
