"""OneStatementPaginator (ccg_involvement/pagination.py): Django's pages, read in one statement."""

import pytest
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator

from ccg_involvement.pagination import OneStatementPaginator

User = get_user_model()


@pytest.fixture
def people(db):
    User.objects.bulk_create([User(username=f"person{n:03}") for n in range(53)])
    return User.objects.order_by("username")


def _seen(page):
    return (
        page.number,
        [u.username for u in page.object_list],
        page.paginator.count,
        page.paginator.num_pages,
        page.has_next(),
        page.has_previous(),
        page.start_index(),
        page.end_index(),
    )


@pytest.mark.parametrize("number", [1, 2, 3, "3", 3.0, 4, 99, 0, -1, "x", None, 2.5, ""])
def test_every_page_is_djangos_page(people, number):
    assert _seen(OneStatementPaginator(people, 25).get_page(number)) == _seen(
        Paginator(people, 25).get_page(number)
    )


def test_a_page_in_the_list_is_one_statement_and_past_the_end_falls_back(people, django_assert_num_queries):
    with django_assert_num_queries(1):
        page = OneStatementPaginator(people, 25).get_page("2")
        assert (page.paginator.count, page.paginator.num_pages, page.has_next()) == (53, 3, True)
    with django_assert_num_queries(3):  # the empty try, the first page with the total, the last page
        page = OneStatementPaginator(people, 25).get_page(7)
        assert (page.number, len(page.object_list), page.paginator.count) == (3, 3, 53)


def test_past_the_end_of_a_list_that_fits_on_one_page_takes_two_statements(people, django_assert_num_queries):
    few = people.filter(username__lt="person010")
    for paginator in (OneStatementPaginator(few, 25), Paginator(few, 25)):
        with django_assert_num_queries(2):  # ours: the empty try, the first page; Django's: count, page
            page = paginator.get_page(4)
            assert (page.number, len(page.object_list), page.paginator.count) == (1, 10, 10)


@pytest.mark.parametrize("number", [1, 5, "x", 0])
def test_an_empty_list_has_one_empty_page(db, number):
    expected = _seen(Paginator(User.objects.order_by("pk"), 25).get_page(number))
    assert _seen(OneStatementPaginator(User.objects.order_by("pk"), 25).get_page(number)) == expected
    assert expected[:3] == (1, [], 0)


def test_without_an_empty_first_page_it_is_djangos_paginator(people):
    for number in (1, 2, 9):
        ours = OneStatementPaginator(people, 25, allow_empty_first_page=False).get_page(number)
        assert _seen(ours) == _seen(Paginator(people, 25, allow_empty_first_page=False).get_page(number))


def test_orphans_are_refused(people):
    with pytest.raises(ValueError, match="orphans"):
        OneStatementPaginator(people, 25, orphans=3)
