"""What a row refers to in the organisation: its lookups, duties (references such as "Action 3",
"KA 6" resolved against its frameworks), members and duty rationales, checked against an
``ImportContext`` read by ``engagements.selectors.import_context``. Pure: no database."""

import re
from dataclasses import dataclass, field

from engagements.spreadsheets.reading import cell_text
from engagements.spreadsheets.values import _quoted, split_names


@dataclass
class ImportContext:
    """What rows are checked against: one organisation's lookups, duties and members."""

    groups: list
    methods: dict[str, int] = field(default_factory=dict)
    partners: dict[str, int] = field(default_factory=dict)
    adjustments: dict[str, int] = field(default_factory=dict)
    duties: dict[str, int] = field(default_factory=dict)
    """Upper-case code → id of the duties that apply to the organisation."""
    other_duties: set[str] = field(default_factory=set)
    """Upper-case codes of duties that exist but do not apply to the organisation."""
    members: dict[str, set[int]] = field(default_factory=dict)
    """Case-folded username or email → user ids of the organisation's members."""
    activities: dict[int, tuple[int, str]] = field(default_factory=dict)
    """id → (version, title) of the organisation's activities: a row with an ID updates one."""
    duty_numbers: dict[tuple[str, int], dict[int, str]] = field(default_factory=dict)
    """(letter, number) → {id: code} of the applying duties, from codes such as PPP17-A03 ("A", 3),
    WPPC-P03 ("P", 3) and IPO17-03 ("", 3): how logs refer to them (“Action 3”, “KA 6”, “A03”)."""
    derived: dict = field(default_factory=dict, repr=False, compare=False)
    """What rows are checked with that follows from the fields (``derive``), worked out once per file."""

    def derive(self, name: str, make):
        """``make()``, worked out the first time ``name`` is asked for and kept for the next rows."""
        if name not in self.derived:
            self.derived[name] = make()
        return self.derived[name]


_DUTY_REFERENCE = re.compile(
    r"(?:(?:s\.?\s*)?14z\d+\s*)?(key\s*actions?|actions?|ka|a|principles?|p)?\s*[-.:#]?\s*(?:no\.?\s*)?0*(\d{1,2})",
    re.IGNORECASE,
)


def resolve_duty_reference(text: str, context: ImportContext) -> tuple[int | None, str]:
    """A duty named as logs name them (“Action 3”, “KA 6”, “A03”, “Principle 2”): (id, code), or
    (None, why not) when it names no duty, or more than one, of the organisation's frameworks."""
    match = _DUTY_REFERENCE.fullmatch(" ".join(text.split()))
    if not match:
        return None, ""
    word, number = (match.group(1) or "").casefold().replace(" ", ""), int(match.group(2))
    letters = (
        {"A"}
        if word.startswith(("action", "keyaction", "ka", "a"))
        else {"P"}
        if word.startswith("p")
        else None
    )
    found = {
        pk: code
        for (letter, n), duties in context.duty_numbers.items()
        if n == number and (letters is None or letter in letters)
        for pk, code in duties.items()
    }
    if len(found) == 1:
        return next(iter(found.items()))
    if len(found) > 1:
        return None, f"“{text}” could be {_quoted(sorted(found.values()))}: use the duty code."
    return None, ""


def duty_reference_note(text: str, context: ImportContext) -> str:
    """Why a duty written as logs write them (“Action 3”) names none of the organisation's duties:
    it could be several, or none is numbered so ("" for text that is no such reference)."""
    said = resolve_duty_reference(text, context)[1]
    if said:
        return said
    if _DUTY_REFERENCE.fullmatch(" ".join(text.split())):
        return f"No duty of your organisation's frameworks is numbered like “{text}”."
    return ""


def parse_duties(value, context: ImportContext, notes: list | None = None) -> list[int]:
    ids, unknown, elsewhere, ambiguous = [], [], [], []
    names = [n for part in split_names(value) for n in re.split(r"\s*[,/&\n]\s*|\s+and\s+", part) if n]
    for code in names:
        key = code.upper().replace(" ", "")
        pk = context.duties.get(key)
        if pk is None and key not in context.other_duties:
            pk, said = resolve_duty_reference(code, context)
            if pk is not None and notes is not None:
                notes.append(f"“{code}” was read as {said}.")
            elif said:
                ambiguous.append(said)
                continue
        if pk is not None:
            if pk not in ids:
                ids.append(pk)
        elif key in context.other_duties:
            elsewhere.append(code)
        else:
            unknown.append(code)
    problems = list(ambiguous)
    if unknown:
        problems.append(
            f"Unknown duty {'code' if len(unknown) == 1 else 'codes'} {_quoted(unknown)}. "
            "Use the duty codes on the Lists sheet of the template, for example WPPC-P01."
        )
    if elsewhere:
        problems.append(
            f"{_quoted(elsewhere)} {'is not a duty' if len(elsewhere) == 1 else 'are not duties'} "
            "of the frameworks that apply to this organisation."
        )
    if problems:
        raise ValueError(" ".join(problems))
    return ids


def parse_lead(value, context: ImportContext) -> int | None:
    text = cell_text(value)
    if not text:
        return None
    ids = context.members.get(text.casefold(), set())
    if not ids:
        raise ValueError(f"No member of this organisation has the username or email “{text}”.")
    if len(ids) > 1:
        raise ValueError(f"More than one member has the email “{text}”. Use their username instead.")
    return next(iter(ids))


_RATIONALE_START = re.compile(r"(?:^|;)\s*([^:;]{1,40}?)\s*:\s*")


def parse_rationales(value, context: ImportContext, duty_ids: list[int]) -> dict[str, str]:
    """“WPPC-P01: reason; WPPC-P04: reason” → {duty id: reason}, for duties the row evidences."""
    text = cell_text(value)
    starts = list(_RATIONALE_START.finditer(text))
    if not starts or starts[0].start() != 0:
        raise ValueError(
            "Write each rationale as a duty code, a colon and the reason, for example “WPPC-P01: …”."
        )
    found, problems = {}, []
    for index, match in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(text)
        code, reason = match.group(1).strip(), text[match.end() : end].strip()
        pk = context.duties.get(code.upper().replace(" ", "")) or resolve_duty_reference(code, context)[0]
        if pk is None:
            problems.append(f"“{code}” is not a duty code.")
        elif pk not in duty_ids:
            problems.append(f"“{code}” has a rationale but is not in the duties evidenced.")
        elif len(reason) > 200:
            problems.append(
                f"The rationale for {code} must be 200 characters or fewer (it has {len(reason)})."
            )
        elif reason:
            found[str(pk)] = reason
    if problems:
        raise ValueError(" ".join(problems))
    return found
