"""Every required field says what to do when left empty ("Enter a title for the activity"), never the
generic "This field is required." (issue 17, item 12).

The test finds the forms itself: every form class defined in the project's apps, and the form of every
class-based view the URLs route to (Django's own password forms included). A form is built with the
objects its ``__init__`` names (``organisation``, ``proposal``, ``item``...); a new form with an
argument this test does not know fails here, so it is checked too.
"""

import importlib
import inspect
import pkgutil
from types import SimpleNamespace

import pytest
from django import forms
from django.apps import apps
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories.duties import checklist_for
from tests.factories.engagements import activity_for
from tests.factories.proposals import proposal_for

PROJECT_APPS = ("ccg_involvement", "duties", "engagements", "reports")
GENERIC = str(forms.Field.default_error_messages["required"])


def _import_every_module():
    for config in apps.get_app_configs():
        if config.name.split(".")[0] not in PROJECT_APPS or not hasattr(config.module, "__path__"):
            continue
        for module in pkgutil.walk_packages(config.module.__path__, config.name + "."):
            if not any(part in module.name for part in (".migrations", ".tests", ".management")):
                importlib.import_module(module.name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _views(resolver):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _views(pattern)
        elif isinstance(pattern, URLPattern):
            yield pattern.callback


def project_forms() -> list[type]:
    _import_every_module()
    found = {
        cls
        for cls in _subclasses(forms.BaseForm)
        if cls.__module__.split(".")[0] in PROJECT_APPS and ".tests." not in cls.__module__  # not test forms
    }
    for view in _views(get_resolver()):
        view_class = getattr(view, "view_class", None)
        initkwargs = getattr(view, "view_initkwargs", {})
        # LoginView's ``authentication_form`` is the form it uses, in place of its ``form_class``
        form_class = initkwargs.get("authentication_form") or initkwargs.get("form_class")
        form_class = form_class or getattr(view_class, "authentication_form", None)
        form_class = form_class or getattr(view_class, "form_class", None)
        if form_class is not None:
            found.add(form_class)
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


@pytest.fixture
def world(editor, rf: RequestFactory):
    from duties.models import Framework
    from engagements import selectors, spreadsheets
    from engagements.selectors import duty_choices

    checklist = checklist_for(editor)
    import_context = selectors.import_context(editor.organisation)
    options = selectors.mapping_options(editor.organisation)
    request = rf.post("/")
    request.user = editor.user
    request.session = {}
    return {
        "organisation": editor.organisation,
        "proposal": proposal_for(editor),
        "activity": activity_for(editor),
        "checklist": checklist,
        "item": checklist.items.first(),
        "items": checklist.items.all(),
        "frameworks": Framework.objects.all(),
        "duties": duty_choices(editor.organisation),
        "user": editor.user,
        "request": request,
        # the import's mapping step: a file with two columns, a sheet to choose, a value to map
        "headings": ["Event", "Venue"],
        "suggestions": [("title", "a common heading"), ("", "")],
        "samples": [["Walk"], []],
        "all_columns": spreadsheets.columns(import_context.groups),
        "mapping_name": "",
        "sheets": ["Activities", "Notes"],
        "rows": [(1, ["Event", "Venue"]), (2, ["Walk", "Library"])],
        "unmatched": {"methods": [("Zoom call", 2)]},
        "options": options,
        "suggest": lambda key, written, choices: None,
        "mapping": SimpleNamespace(
            name="Our log", columns={"event": "title", "venue": ""}, values={"methods": {"zoom call": ""}}
        ),
    }


def _built(form_class, world, data):
    """The form built with what its ``__init__`` names; a step form once per step."""
    from engagements.steps import STEPS

    if "step" in inspect.signature(form_class.__init__).parameters:
        return [_build(form_class, {**world, "step": step}, data) for step in STEPS.values()]
    return [_build(form_class, world, data)]


def _build(form_class, world, data):
    """The form built with what its ``__init__`` names, bound to ``data`` (unbound when None)."""
    kwargs = {}
    for name, parameter in inspect.signature(form_class.__init__).parameters.items():
        if name in ("self", "data") or parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        if name in world:
            kwargs[name] = world[name]
        elif parameter.default is inspect.Parameter.empty:
            raise AssertionError(
                f"{form_class.__qualname__}: the test does not know what to give as {name!r}"
            )
    if data is not None:
        kwargs["data"] = data
    return form_class(**kwargs)


def test_the_walk_finds_the_forms_people_fill_in():
    names = {cls.__name__ for cls in project_forms()}
    assert {
        "ActivityForm",
        "OutcomeForm",
        "Step1Form",
        "Step8Form",
        "ImportForm",
        "SignOffForm",
        "LoginForm",
        "PasswordResetRequestForm",
        "NewPasswordForm",
        "AddMemberForm",
        "WithdrawForm",
        "ActivityStepForm",
        "ColumnsForm",
        "ValuesForm",
    } <= names


@pytest.mark.django_db
def test_every_required_field_has_a_specific_message(world):
    generic = []
    for form_class in project_forms():
        generic += [
            f"{form_class.__module__}.{form_class.__qualname__}.{name}"
            for form in _built(form_class, world, None)
            for name, field in form.fields.items()
            if field.required and str(field.error_messages.get("required")) == GENERIC
        ]
    assert not generic, "Required fields with the generic message:\n" + "\n".join(generic)


@pytest.mark.django_db
def test_an_empty_submission_of_any_form_never_says_this_field_is_required(world):
    generic = []
    for form_class in project_forms():
        for form in _built(form_class, world, {}):
            form.is_valid()
            generic += [
                f"{form_class.__qualname__}.{field}: {message}"
                for field, messages in form.errors.items()
                for message in messages
                if message == GENERIC
            ]
    assert not generic, "\n".join(generic)
