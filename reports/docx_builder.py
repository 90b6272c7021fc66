"""A ``reports.document.Document`` as an editable Word file: A4, en-GB, page numbers, captions,
table header rows that repeat on every page. The blocks are the PDF's (one content structure)."""

import io

from django.conf import settings

LANGUAGE = "en-GB"


def _set_language(document):
    """en-GB for the document defaults and every paragraph style (spelling and grammar)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    styles = document.styles.element
    targets = [styles.find(qn("w:docDefaults"))]
    targets += list(styles.findall(qn("w:style")))
    for element in targets:
        if element is None:
            continue
        if element.tag == qn("w:docDefaults"):
            rpr_default = element.find(qn("w:rPrDefault"))
            if rpr_default is None:
                rpr_default = OxmlElement("w:rPrDefault")
                element.insert(0, rpr_default)
            parent = rpr_default
        else:
            parent = element
        rpr = parent.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            parent.append(rpr)
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr.append(lang)
        lang.set(qn("w:val"), LANGUAGE)
        lang.set(qn("w:eastAsia"), LANGUAGE)
    document.core_properties.language = LANGUAGE


def _field(paragraph, instruction: str, placeholder: str = "1"):
    """A Word field (PAGE, NUMPAGES, SEQ Table) as runs, with its current result as text."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind):
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._r.append(element)

    char("begin")
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    char("separate")
    paragraph.add_run(placeholder)
    char("end")


def _page_setup(document, footer_note: str):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin = section.bottom_margin = Mm(20)
        section.left_margin = section.right_margin = Mm(18)
        footer = section.footer.paragraphs[0] if section.footer.paragraphs else section.footer.add_paragraph()
        footer.text = ""
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer.add_run(f"{footer_note} · Page ")
        _field(footer, "PAGE")
        footer.add_run(" of ")
        _field(footer, "NUMPAGES")


def _repeat_header(row):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    trpr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


def _table(document, block, number: int):
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    caption = document.add_paragraph("Table ", style="Caption")
    _field(caption, "SEQ Table \\* ARABIC", str(number))
    caption.add_run(f": {block.caption}")
    table = document.add_table(rows=1, cols=len(block.headers))
    table.style = "Table Grid"
    _repeat_header(table.rows[0])
    for index, (cell, text) in enumerate(zip(table.rows[0].cells, block.headers, strict=True)):
        cell.text = ""
        cell.paragraphs[0].add_run(str(text)).bold = True
        if index in block.numeric:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for row in block.rows:
        cells = table.add_row().cells
        for index, (cell, text) in enumerate(zip(cells, row, strict=True)):
            cell.text = str(text)
            if index in block.numeric:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph()
    return table


def build_docx(doc) -> bytes:
    from docx import Document

    document = Document(str(settings.REPORT_DOCX_TEMPLATE))
    _set_language(document)
    _page_setup(document, f"{doc.organisation.name} · {doc.footer}")
    document.core_properties.title = f"{doc.title}: {doc.subtitle}"
    document.core_properties.author = doc.organisation.name
    document.add_paragraph(doc.subtitle, style="Subtitle")
    document.add_paragraph(doc.title, style="Title")
    for paragraph in doc.intro:
        document.add_paragraph(paragraph.text)
    tables = 0
    for block in doc.blocks:
        if block.kind == "heading":
            # Word's Heading 1 is the document's level 2 (the title is the level 1)
            paragraph = document.add_paragraph(block.text, style=f"Heading {max(1, block.level - 1)}")
            if block.new_page:
                paragraph.paragraph_format.page_break_before = True
        elif block.kind == "paragraph":
            document.add_paragraph(block.text)
        elif block.kind == "bullets":
            for item in block.items:
                document.add_paragraph(item, style="List Bullet")
        elif block.kind in {"table", "chart"}:
            tables += 1
            _table(document, block if block.kind == "table" else block.table, tables)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
