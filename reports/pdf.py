"""PDF output through WeasyPrint: A4, running header, "page N of M", tagged, no external fetches."""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string


class RefusedFetch(ValueError):
    pass


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class SafeURLFetcher(URLFetcher):
        """Serve the app's own static files from disk and data: URIs; refuse everything else."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            prefix = "file:///static/"
            if url.startswith(prefix):
                found = finders.find(url[len(prefix) :].split("?")[0])
                if found and Path(found).is_file():
                    return URLFetcherResponse(url, body=Path(found).read_bytes())
            raise RefusedFetch(f"Reports never fetch external resources (refused {url[:80]}).")

    return SafeURLFetcher


def safe_url_fetcher():
    return _fetcher_class()(allowed_protocols={"data", "file"}, allow_redirects=False)


def render_pdf(template_name: str, context: dict) -> tuple[bytes, int]:
    """Render a template to PDF bytes; returns (bytes, page count)."""
    from weasyprint import HTML

    html = render_to_string(template_name, {**context, "pdf": True})
    document = HTML(string=html, base_url="file:///", url_fetcher=safe_url_fetcher()).render()
    pdf = document.write_pdf(
        pdf_tags=True, custom_metadata=True, pdf_variant=getattr(settings, "REPORT_PDF_VARIANT", None)
    )
    return pdf, len(document.pages)
