"""One content structure for a generated document, rendered by both the PDF and the Word builder.

A document is a title and a list of blocks (headings, paragraphs, bullet lists, captioned tables,
charts). ``reports.content`` writes the blocks once; ``templates/reports/pdf/document.html`` and
``reports.docx_builder`` only lay them out, so the PDF and the Word file say the same things
(a test compares their headings and figures).
"""

from dataclasses import dataclass, field


@dataclass
class Heading:
    text: str
    level: int = 2
    anchor: str = ""
    new_page: bool = False
    kind: str = "heading"


@dataclass
class Paragraph:
    text: str
    style: str = ""  # "", "lede", "muted", "box"
    kind: str = "paragraph"


@dataclass
class Bullets:
    items: list[str]
    kind: str = "bullets"


@dataclass
class Table:
    caption: str
    headers: list[str]
    rows: list[list[str]]
    numeric: tuple[int, ...] = ()  # column indexes right-aligned
    kind: str = "table"


@dataclass
class Chart:
    """A chart: an SVG in the PDF; in Word its data table (the same caption and figures)."""

    chart: object
    kind: str = "chart"

    @property
    def table(self) -> Table:
        data = self.chart.table
        headers = [h or "Category" for h in data["headers"]]
        return Table(self.chart.title, headers, [[str(c) for c in row] for row in data["rows"]], (1, 2, 3))


@dataclass
class Document:
    title: str
    subtitle: str
    organisation: object
    footer: str
    intro: list = field(default_factory=list)  # paragraphs on the cover, under the title
    blocks: list = field(default_factory=list)

    def add(self, *blocks):
        self.blocks.extend(blocks)

    def headings(self) -> list[str]:
        return [self.title, *(b.text for b in self.blocks if b.kind == "heading")]

    def contents(self) -> list[Heading]:
        return [b for b in self.blocks if b.kind == "heading" and b.level == 2 and b.anchor]
