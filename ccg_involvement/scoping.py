"""Organisation scoping by queryset: the one way to ask for an organisation's rows.

Every organisation-owned model's manager is built from ``OrganisationQuerySet`` (directly, or
through a model-specific subclass), so views, selectors and reports write
``Activity.objects.for_organisation(org)`` rather than a hand-written filter. A model owned
through a parent (an item through its checklist, an outcome through its activity) names the path
to the organisation in ``organisation_path``.
"""

from django.db import models


class OrganisationQuerySet(models.QuerySet):
    organisation_path = "organisation"

    def for_organisation(self, organisation):
        """The rows owned by ``organisation`` (none at all for ``None``)."""
        if organisation is None:
            return self.none()
        return self.filter(**{self.organisation_path: organisation})

    def for_organisations(self, organisations):
        """The rows owned by any of ``organisations`` (objects or primary keys), e.g. for an overview."""
        return self.filter(**{f"{self.organisation_path}__in": organisations})
