"""Static files as served in production, with each file's URL worked out once per process.

``CompressedManifestStaticFilesStorage`` (WhiteNoise) turns a name into its hashed URL on every
``{% static %}``: a manifest lookup, a join and quoting, some tens of microseconds, six times a
page (the stylesheet, the icon, the scripts). The manifest is read when the process starts and
does not change while it serves requests, so the answer is remembered. ``collectstatic``, the
one thing that rewrites the manifest, forgets what was remembered when it has done so.
"""

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls = {}

    def url(self, name, force=False):
        if force:
            return super().url(name, force=True)
        key = (name, settings.DEBUG)  # with DEBUG on, Django gives the name unhashed
        try:
            return self._urls[key]
        except KeyError:
            url = self._urls[key] = super().url(name)  # a missing file raises, and is not kept
            return url

    def post_process(self, *args, **kwargs):
        try:
            yield from super().post_process(*args, **kwargs)
        finally:
            self._urls.clear()
