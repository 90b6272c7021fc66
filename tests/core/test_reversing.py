"""URLs reversed once per process (ccg_involvement/reversing.py): the same URLs as Django's own
``reverse`` and ``{% url %}``, in every case the key has to tell apart."""

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.test import override_settings
from django.urls import NoReverseMatch, get_resolver, set_script_prefix
from django.urls import reverse as django_reverse
from django.urls.resolvers import LocalePrefixPattern, URLResolver
from django.utils.functional import Promise

from ccg_involvement import reversing
from ccg_involvement.reversing import reverse


@pytest.fixture(autouse=True)
def forget():
    reversing._reversed.cache_clear()
    yield
    reversing._reversed.cache_clear()


CASES = [
    ("home", (), {}),
    ("dashboard", (), {"org_code": "qxh"}),
    ("activity-detail", (), {"org_code": "qxh", "pk": 42}),
    ("admin:index", (), {}),
    ("admin:auth_user_change", (7,), {}),
]


@pytest.mark.parametrize(("name", "args", "kwargs"), CASES)
def test_the_same_url_as_djangos_reverse_and_the_second_time_from_memory(name, args, kwargs):
    expected = django_reverse(name, args=args, kwargs=kwargs)
    assert reverse(name, args=args, kwargs=kwargs) == expected
    hits = reversing._reversed.cache_info().hits
    assert reverse(name, args=list(args), kwargs=dict(kwargs)) == expected
    assert reversing._reversed.cache_info().hits == hits + 1


def test_equal_values_of_different_types_are_not_taken_for_each_other():
    assert reverse("activity-detail", kwargs={"org_code": "qxh", "pk": 1}) == "/qxh/activities/1/"
    # Django writes True as "True", which no <int:pk> matches: the remembered "1" must not answer
    with pytest.raises(NoReverseMatch):
        django_reverse("activity-detail", kwargs={"org_code": "qxh", "pk": True})
    with pytest.raises(NoReverseMatch):
        reverse("activity-detail", kwargs={"org_code": "qxh", "pk": True})


def test_a_failed_reversal_raises_every_time_and_is_not_remembered():
    for _ in range(2):
        with pytest.raises(NoReverseMatch):
            reverse("dashboard", kwargs={"org_code": "not a code!"})
    assert reversing._reversed.cache_info().currsize == 0


def test_an_argument_that_cannot_be_hashed_is_reversed_by_django():
    class Unhashable(str):
        __hash__ = None

    assert reverse("dashboard", kwargs={"org_code": Unhashable("qxh")}) == "/qxh/"


def test_the_script_prefix_is_part_of_the_key():
    assert reverse("home") == "/"
    set_script_prefix("/tracker/")
    try:
        assert reverse("home") == "/tracker/"
    finally:
        set_script_prefix("/")
    assert reverse("home") == "/"


def test_a_changed_url_configuration_is_not_answered_from_memory():
    assert reverse("home") == "/"
    with override_settings(ROOT_URLCONF="tests.core.urls_elsewhere"):
        assert reverse("home") == "/elsewhere/"
    assert reverse("home") == "/"


def _patterns(resolver):
    for pattern in resolver.url_patterns:
        yield pattern
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern)


def test_no_url_depends_on_the_language_which_the_key_leaves_out():
    for pattern in _patterns(get_resolver()):
        assert not isinstance(pattern.pattern, LocalePrefixPattern), pattern
        route = getattr(pattern.pattern, "_route", None) or getattr(pattern.pattern, "_regex", "")
        assert not isinstance(route, Promise), f"{pattern} is translated"


# ---------------------------------------------------------------- {% url %}
def _render(source, **context):
    return Template(source).render(Context(context))


def test_every_templates_url_tag_is_the_remembering_one():
    node = Template("{% url 'home' %}").nodelist[0]
    assert isinstance(node, reversing.URLNode)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{% url 'home' %}", "/"),
        ("{% url 'dashboard' org_code=code %}", "/qxh/"),
        ("{% url 'activity-detail' code 42 %}", "/qxh/activities/42/"),
        ("{% url 'dashboard' org_code=code as there %}[{{ there }}]", "[/qxh/]"),
        ("{% url 'dashboard' org_code='no such code!' as there %}[{{ there }}]", "[]"),
        ("{% url 'search-nowhere' as there %}[{{ there }}]", "[]"),
    ],
)
def test_the_url_tag_writes_what_djangos_writes(source, expected):
    assert _render(source, code="qxh") == expected
    assert _render(source, code="qxh") == expected  # from memory


def test_the_url_tag_still_fails_loudly_without_as():
    with pytest.raises(NoReverseMatch):
        _render("{% url 'search-nowhere' %}")
    with pytest.raises(TemplateSyntaxError):
        Template("{% url %}")


@override_settings(ROOT_URLCONF="tests.core.urls_elsewhere")
def test_the_url_tag_escapes_as_djangos_does():
    assert django_reverse("named", kwargs={"name": "a&b"}) == "/elsewhere/a&b/"
    assert _render("{% url 'named' name='a&b' %}") == "/elsewhere/a&amp;b/"
    assert _render("{% autoescape off %}{% url 'named' name='a&b' %}{% endautoescape %}") == "/elsewhere/a&b/"


def test_the_current_app_is_part_of_the_key():
    assert reverse("admin:index", current_app="admin") == django_reverse("admin:index", current_app="admin")
    assert reverse("admin:index") == django_reverse("admin:index")
    assert reversing._reversed.cache_info().misses == 2
