"""Values as people write them in a spreadsheet cell: dates (day first, written out, Excel serials),
counts ("approx 30", "N/A"), yes/no, choices and lists of names. Pure: no database."""

import datetime
import re

from engagements.spreadsheets.columns import (
    SEPARATOR,
    choice_labels,
)
from engagements.spreadsheets.reading import cell_text, is_blank

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}


_WEEKDAY = re.compile(r"^(mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+", re.IGNORECASE)


_ORDINAL = re.compile(r"(?<=\d)(st|nd|rd|th)\b", re.IGNORECASE)


_NUMERIC = re.compile(r"(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})")


_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[\s\-/.]*([a-z]+)\.?[\s\-/.,]*(\d{4}|\d{2})")


_MONTH_DAY_YEAR = re.compile(r"([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})")


_TIME = re.compile(r"(?:\s+|T)\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?(?:\s*[ap]m)?$", re.IGNORECASE)


EXCEL_EPOCH = datetime.date(1899, 12, 30)


SERIALS = range(36526, 73051)  # 1 January 2000 to 31 December 2099 as Excel serial numbers


EXAMPLE = "for example 14/10/2025 or 14 October 2025"


def _year(text: str) -> int:
    year = int(text)
    return 2000 + year if len(text) == 2 else year


def _real_date(year, month, day, text, label) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValueError(f"“{text}” is not a real date. Check the day and month of the {label}.") from None


def _date_from_text(text: str, label: str) -> datetime.date:
    original = text
    text = _TIME.sub("", text.strip())
    text = _WEEKDAY.sub("", text)
    text = _ORDINAL.sub("", text).strip().casefold()
    if re.fullmatch(r"\d+(\.0+)?", text) and int(float(text)) in SERIALS:
        return EXCEL_EPOCH + datetime.timedelta(days=int(float(text)))
    if match := _ISO.fullmatch(text):
        year, month, day = (int(g) for g in match.groups())
        return _real_date(year, month, day, original, label)
    if match := _NUMERIC.fullmatch(text):
        first, _, second, year = match.groups()
        day, month = int(first), int(second)
        if month > 12 and day <= 12:
            raise ValueError(
                f"“{original}” looks like a month-first (American) date. Enter the {label} day first, {EXAMPLE}."
            )
        return _real_date(_year(year), month, day, original, label)
    if match := _DAY_MONTH_YEAR.fullmatch(text):
        day, month_name, year = match.groups()
        if month_name in MONTHS:
            return _real_date(_year(year), MONTHS[month_name], int(day), original, label)
    if match := _MONTH_DAY_YEAR.fullmatch(text):
        month_name, day, year = match.groups()
        if month_name in MONTHS:
            return _real_date(int(year), MONTHS[month_name], int(day), original, label)
    if re.search(r"\d\s*(-|–|to|&|and)\s*\d", text) and re.search(r"[a-z]{3}|\d{4}", text):
        raise ValueError(
            f"“{original}” looks like more than one date. Enter the start date here and the end date in its "
            "own column."
        )
    if re.fullmatch(r"\d{1,2}[\s\-/.]+[a-z0-9]+\.?", text) or re.fullmatch(r"[a-z]+\s+\d{1,2}", text):
        raise ValueError(f"“{original}” has no year. Enter the {label} with its year, {EXAMPLE}.")
    raise ValueError(f"Enter the {label} as a date, {EXAMPLE} (not “{original}”).")


def parse_date(value, label: str) -> datetime.date:
    """A date as people write it, day first; ValueError with a message when it is not one, or ambiguous.

    Excel date cells, Excel serial numbers (in number or text cells), ``3/3/25``, ``03.03.2025``,
    ``3-3-2025``, ``2025-03-03``, ``3 March 2025``, ``3rd Mar 2025``, ``Mon 3 March 2025``,
    ``March 3, 2025``. A month-first date (``5/14/2025``), a date without a year and a range of dates
    are refused with a message saying so.
    """
    if isinstance(value, datetime.datetime):
        result = value.date()
    elif isinstance(value, datetime.date):
        result = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        if int(value) not in SERIALS:
            raise ValueError(f"Enter the {label} as a date, {EXAMPLE} (not “{cell_text(value)}”).")
        result = EXCEL_EPOCH + datetime.timedelta(days=int(value))
    else:
        result = _date_from_text(cell_text(value), label)
    if not 2000 <= result.year <= 2100:
        raise ValueError(f"Check the year of the {label} ({result.day} {result:%B %Y}).")
    return result


NOT_RECORDED = {
    "n/a",
    "na",
    "n.a.",
    "n/k",
    "nk",
    "n.k.",
    "unknown",
    "not known",
    "not recorded",
    "-",
    "–",
    "—",
    "?",
    "tbc",
    "tbd",
    "none recorded",
    "no data",
    "not counted",
}


_APPROXIMATE = re.compile(
    r"(?:approx\.?|approximately|around|about|roughly|circa|c\.?|ca\.?|~|est\.?|estimated|over|more than|at least)"
    r"\s*(\d[\d,]*)\s*(?:\+|people|participants|attendees)?"
    r"|(\d[\d,]*)\s*(?:\+|plus|or more|approx\.?|\(approx\.?\)|ish)",
    re.IGNORECASE,
)


def parse_count_as_written(value) -> tuple[int | None, str | None]:
    """A count and a warning: “N/A” is not recorded, “approx 30” and “30+” are 30, each with a warning."""
    if isinstance(value, str):
        text = " ".join(value.split())
        if text.casefold() in NOT_RECORDED:
            return None, f"“{text}” was read as not recorded."
        if match := _APPROXIMATE.fullmatch(text):
            number = int((match.group(1) or match.group(2)).replace(",", ""))
            return parse_count(number), f"“{text}” was read as {number:,}."
    return parse_count(value), None


def parse_count(value) -> int | None:
    """A whole number of people, None when blank; ValueError with a message otherwise."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError("Enter a whole number of people, like 12, or leave it blank if not recorded.")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"Enter a whole number of people (not {value:g}).")
        number = int(value)
    else:
        text = cell_text(value).replace(",", "").replace(" ", "")
        if re.fullmatch(r"[-+]?\d+(\.0*)?", text):
            number = int(float(text)) if "." in text else int(text)
        elif re.fullmatch(r"[-+]?\d*\.\d+", text):
            raise ValueError(f"Enter a whole number of people (not {cell_text(value)}).")
        elif re.fullmatch(r"\d+(-|–|to)\d+", text):
            raise ValueError(
                f"“{cell_text(value)}” is a range. Enter one number of people (the lower one, if unsure)."
            )
        else:
            raise ValueError(
                f"Enter a number of people, like 12, or leave it blank if not recorded (not “{cell_text(value)}”)."
            )
    if number < 0:
        raise ValueError("The number of people cannot be negative. Use 0 if nobody took part.")
    if number > 10_000_000:
        raise ValueError(f"Check the number of people ({number:,}).")
    return number


YES = {"yes", "y", "true", "1", "x", "✓"}


NO = {"no", "n", "false", "0", ""}


def parse_yes_no(value) -> bool:
    if isinstance(value, bool):
        return value
    text = cell_text(value).casefold()
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueError(f"Enter yes or no, or leave it blank for no (not “{cell_text(value)}”).")


_CHOICE_NAMES: dict[int, tuple[object, dict[str, str]]] = {}


def _choice_names(choices) -> dict[str, str]:
    """Case-folded value or label → value, worked out once per list of choices."""
    kept = _CHOICE_NAMES.get(id(choices))
    if kept is None or kept[0] is not choices:
        names = {}
        for choice_value, choice_label in reversed(list(choices)):  # the first choice wins
            names[str(choice_label).casefold()] = choice_value
            names[str(choice_value).casefold()] = choice_value
        kept = _CHOICE_NAMES[id(choices)] = (choices, names)
        if len(_CHOICE_NAMES) > 100:  # lists made afresh by callers: keep no more than a few
            _CHOICE_NAMES.clear()
            _CHOICE_NAMES[id(choices)] = kept
    return kept[1]


def parse_choice(value, choices, label: str, *, default: str = "") -> str:
    text = cell_text(value)
    if not text:
        return default
    found = _choice_names(choices).get(text.casefold())
    if found is not None:
        return found
    blank = "" if default else ", or leave it blank"
    raise ValueError(f"Unknown {label} “{text}”. Use {choice_labels(choices)}{blank}.")


def split_names(value) -> list[str]:
    names, seen = [], set()
    for part in cell_text(value).split(SEPARATOR):
        name = part.strip()
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    return names


def _quoted(names: list[str]) -> str:
    quoted = [f"“{n}”" for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def parse_lookups(value, known: dict[str, int], singular: str, plural: str) -> list[int]:
    ids, unknown = [], []
    for name in split_names(value):
        pk = known.get(name.casefold())
        if pk is None:
            unknown.append(name)
        elif pk not in ids:
            ids.append(pk)
    if unknown:
        raise ValueError(
            f"Unknown {singular if len(unknown) == 1 else plural} {_quoted(unknown)}. "
            "Use one of the names on the Lists sheet of the template, separated by semicolons (;)."
        )
    return ids
