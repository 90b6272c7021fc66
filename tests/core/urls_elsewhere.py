"""A second URL configuration for tests/core/test_reversing.py: "home" somewhere else,
and a URL that can hold an ampersand."""

from django.http import HttpResponse
from django.urls import path

urlpatterns = [
    path("elsewhere/", lambda request: HttpResponse("elsewhere"), name="home"),
    path("elsewhere/<str:name>/", lambda request, name: HttpResponse(name), name="named"),
]
