class OrganisationCodeConverter:
    """``/<ods code>/`` in URLs: 3 to 5 letters or digits, written in lower case."""

    regex = "[0-9a-zA-Z]{3,5}"

    def to_python(self, value: str) -> str:
        return value.lower()

    def to_url(self, value: str) -> str:
        return str(value).lower()


class ReportingYearConverter:
    """``2025-26`` in URLs for the NHS financial year 2025/26."""

    regex = r"20\d\d-\d\d"

    def to_python(self, value: str):
        from ccg_involvement.years import ReportingYear

        try:
            return ReportingYear.from_slug(value)
        except ValueError as exc:
            raise ValueError(str(exc)) from exc

    def to_url(self, value) -> str:
        return value.slug if hasattr(value, "slug") else str(value)
