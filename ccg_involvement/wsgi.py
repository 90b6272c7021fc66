import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ccg_involvement.settings")
application = get_wsgi_application()

from ccg_involvement.checks import refuse_unsafe_paths  # noqa: E402 - needs the settings loaded

refuse_unsafe_paths()  # a STATIC_ROOT or MEDIA_ROOT that would publish the project stops the server
