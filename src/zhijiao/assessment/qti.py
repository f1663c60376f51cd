"""The question bank as QTI 3.0: each question's current version written as a ``qti-assessment-item`` and read back,
and a content package (a zip with ``imsmanifest.xml`` and one item file per question).

Every item written is validated against 1EdTech's published QTI 3.0 ASI schema (``qti_schema/``, see its README
for which file and why) before it leaves, and every item read is validated before it is parsed. Compiling the
schema takes about 3 s, once per process, on first use.

How the bank's types map to QTI 3.0:

=============  ===========================================================================================
single         ``qti-choice-interaction`` max-choices 1; scored ``points`` when it matches the correct response
multiple       ``qti-choice-interaction`` max-choices 0; all-or-nothing by match, the partial-credit rules by a
               ``qti-mapping`` (share: a wrong option maps to −points; net: to −one share; lower bound 0)
truefalse      a choice interaction whose choices are ``TRUE`` and ``FALSE``
fill           one ``qti-text-entry-interaction`` per blank (``RESPONSE_1`` …), accepted answers as a
               case-insensitive mapping; blanks answered in any order are marked by ``class="blanks any-order"``
short, essay   ``qti-extended-text-interaction`` (expected lines 4 / 15); the reference answer and the rubric
               sit in a ``qti-rubric-block`` for scorers (``class="rubric peer"`` for peer review)
file           ``qti-upload-interaction``; the formats taken are listed in the scorers' rubric block
=============  ===========================================================================================

Tags, knowledge points and difficulty travel in the manifest as IEEE LOM metadata (keywords, a "competency"
classification, educational difficulty).
"""

from __future__ import annotations

import functools
import io
import re
import uuid
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from lxml import etree
from lxml import html as lxml_html

from .drafts import QuestionDraft, prepare_draft
from .models import Question, QuestionVersion
from .question_types import Grading, Scoring

NS = "http://www.imsglobal.org/xsd/imsqtiasi_v3p0"
CP_NS = "http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1"
LOM_NS = "http://ltsc.ieee.org/xsd/LOM"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SCHEMA_LOCATION = f"{NS} https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqti_asiv3p0_v1p0.xsd"
SCHEMA_FILE = Path(__file__).resolve().parent / "qti_schema" / "qtiv3p0" / "imsqti_asiv3p0_sbacv1p0_v1p0.xsd"
ITEM_TYPE = "imsqti_item_xmlv3p0"
MAX_PACKAGE_BYTES = 20 * 1024 * 1024
MAX_ITEMS = 2000
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
LOM_DIFFICULTY = {1: "very easy", 2: "easy", 3: "medium", 4: "difficult", 5: "very difficult"}
# The HTML a stem, an option or an explanation may carry into QTI (its XHTML subset); others keep their text.
HTML_TAGS = frozenset(
    {"p", "br", "strong", "em", "b", "i", "u", "sub", "sup", "ul", "ol", "li", "code", "pre", "span", "div",
     "blockquote", "table", "thead", "tbody", "tr", "th", "td", "h1", "h2", "h3", "h4", "h5", "h6", "a", "small",
     "q", "cite", "abbr", "kbd", "var", "samp", "dl", "dt", "dd", "hr"}
)  # fmt: skip
BLOCK_TAGS = frozenset({"p", "ul", "ol", "pre", "div", "blockquote", "table", "h1", "h2", "h3", "h4", "h5", "h6",
                        "dl", "hr"})  # fmt: skip


def q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


@functools.cache
def _schema() -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.parse(str(SCHEMA_FILE), parser))


def validation_errors(document: etree._Element | bytes) -> list[str]:
    """What the QTI 3.0 schema finds wrong with an item (empty when it is valid)."""
    if isinstance(document, bytes):
        document = etree.fromstring(document, _safe_parser())
    schema = _schema()
    try:
        if schema.validate(document):
            return []
    except etree.XMLSchemaValidateError as error:
        return [str(error)]
    return [f"{error.line}: {error.message}" for error in schema.error_log]


def _safe_parser() -> etree.XMLParser:
    # No DTDs, entities or network: an uploaded file cannot read the server's files or expand a billion laughs.
    return etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False, huge_tree=False)


# --- Writing ------------------------------------------------------------------------------------------------------


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, q(tag), {key.replace("_", "-"): value for key, value in attrs.items()})
    if text is not None:
        element.text = text
    return element


def _convert(source: Any, parent: etree._Element) -> None:
    """Append a parsed HTML element (and what it holds) under ``parent`` in the QTI namespace."""
    tag = source.tag if isinstance(source.tag, str) else ""
    if tag in HTML_TAGS:
        attrs = {"href": source.get("href")} if tag == "a" and source.get("href") else {}
        target = etree.SubElement(parent, q(tag), attrs)
        target.text = source.text
        for child in source:
            _convert(child, target)
    else:
        # An element QTI would not take: keep its text where it stood.
        _append_text(parent, source.text or "")
        for child in source:
            _convert(child, parent)
    _append_text(parent, source.tail or "")


def _append_text(parent: etree._Element, text: str) -> None:
    if not text:
        return
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _append_blocks(parent: etree._Element, html: str) -> None:
    """Rich text as QTI block content: loose text and inline elements are wrapped in paragraphs."""
    if not html.strip():
        return
    wrapper = lxml_html.fragment_fromstring(html, create_parent="div")
    paragraph: etree._Element | None = None
    if wrapper.text and wrapper.text.strip():
        paragraph = _sub(parent, "p", wrapper.text.strip())
    for child in wrapper:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in BLOCK_TAGS:
            paragraph = None
            tail, child.tail = child.tail, None
            _convert(child, parent)
            if tail and tail.strip():
                paragraph = _sub(parent, "p", tail.strip())
        else:
            if paragraph is None:
                paragraph = _sub(parent, "p")
            _convert(child, paragraph)


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")


def _score_outcomes(item: etree._Element, points: Decimal, *, with_feedback: bool) -> None:
    _sub(item, "qti-outcome-declaration", identifier="SCORE", cardinality="single", base_type="float",
         normal_maximum=_number(points))  # fmt: skip
    maximum = _sub(item, "qti-outcome-declaration", identifier="MAXSCORE", cardinality="single", base_type="float")
    _sub(_sub(maximum, "qti-default-value"), "qti-value", _number(points))
    if with_feedback:
        _sub(item, "qti-outcome-declaration", identifier="FEEDBACK", cardinality="single", base_type="identifier")


def _set_score(parent: etree._Element, value: Decimal) -> None:
    outcome = _sub(parent, "qti-set-outcome-value", identifier="SCORE")
    _sub(outcome, "qti-base-value", _number(value), base_type="float")


def _match_processing(item: etree._Element, points: Decimal) -> None:
    processing = _sub(item, "qti-response-processing")
    condition = _sub(processing, "qti-response-condition")
    branch = _sub(condition, "qti-response-if")
    match = _sub(branch, "qti-match")
    _sub(match, "qti-variable", identifier="RESPONSE")
    _sub(match, "qti-correct", identifier="RESPONSE")
    _set_score(branch, points)
    _set_score(_sub(condition, "qti-response-else"), Decimal("0"))


def _map_processing(item: etree._Element, responses: Sequence[str]) -> None:
    processing = _sub(item, "qti-response-processing")
    outcome = _sub(processing, "qti-set-outcome-value", identifier="SCORE")
    total = _sub(outcome, "qti-sum")
    for response in responses:
        _sub(total, "qti-map-response", identifier=response)


def _feedback_processing(item: etree._Element, processing: etree._Element | None) -> None:
    if processing is None:
        processing = _sub(item, "qti-response-processing")
    outcome = _sub(processing, "qti-set-outcome-value", identifier="FEEDBACK")
    _sub(outcome, "qti-base-value", "EXPLANATION", base_type="identifier")


def _choices(body: etree._Element, labels: Sequence[str], identifiers: Sequence[str], max_choices: int) -> None:
    interaction = _sub(body, "qti-choice-interaction", response_identifier="RESPONSE", max_choices=str(max_choices),
                       shuffle="false")  # fmt: skip
    for identifier, label in zip(identifiers, labels, strict=True):
        # Options are plain text in the bank ("a < b" is not a tag).
        _sub(interaction, "qti-simple-choice", label, identifier=identifier)


def _rubric_block(body: etree._Element, data: dict[str, Any], *, points: Decimal) -> None:
    classes = "rubric peer" if data.get("grading") == Grading.PEER else "rubric"
    block = _sub(body, "qti-rubric-block", use="scoring", view="scorer", **{"class": classes})
    content = _sub(block, "qti-content-body")
    if data.get("reference"):
        _sub(content, "p", data["reference"], **{"class": "reference"})
    if data.get("formats"):
        _sub(content, "p", ",".join(data["formats"]), **{"class": "formats"})
    if data.get("rubric"):
        table = _sub(content, "table", **{"class": "criteria"})
        body_rows = _sub(table, "tbody")
        for criterion in data["rubric"]:
            row = _sub(body_rows, "tr")
            _sub(row, "td", criterion["criterion"])
            _sub(row, "td", criterion["points"])
    if not len(content):
        _sub(content, "p", _number(points), **{"class": "points"})


def item_element(question: Question, version: QuestionVersion) -> etree._Element:
    """A version as a QTI 3.0 assessment item (not yet validated)."""
    points = Decimal(version.points)
    data = version.data
    kind = version.type
    item = etree.Element(
        q("qti-assessment-item"),
        {
            f"{{{XSI}}}schemaLocation": SCHEMA_LOCATION,
            "identifier": f"Q-{question.identifier}",
            "title": (question.summary or "-")[:120],
            "adaptive": "false",
            "time-dependent": "false",
            XML_LANG: "zh-CN",
        },
        nsmap={None: NS, "xsi": XSI},
    )
    responses: list[str] = []
    if kind in ("single", "multiple", "truefalse"):
        multiple = kind == "multiple"
        declaration = _sub(item, "qti-response-declaration", identifier="RESPONSE",
                           cardinality="multiple" if multiple else "single", base_type="identifier")  # fmt: skip
        correct = _sub(declaration, "qti-correct-response")
        if kind == "truefalse":
            identifiers = ["TRUE", "FALSE"]
            _sub(correct, "qti-value", "TRUE" if data["answer"] else "FALSE")
        else:
            identifiers = [f"CHOICE_{chr(65 + i)}" for i in range(len(data["options"]))]
            for index in data["answer"] if multiple else [data["answer"]]:
                _sub(correct, "qti-value", identifiers[index])
        if multiple and data.get("scoring", Scoring.ALL) != Scoring.ALL:
            share = points / len(data["answer"])
            penalty = -points if data["scoring"] == Scoring.SHARE else -share
            mapping = _sub(declaration, "qti-mapping", default_value="0", lower_bound="0", upper_bound=_number(points))
            for index, identifier in enumerate(identifiers):
                value = share if index in data["answer"] else penalty
                _sub(
                    mapping,
                    "qti-map-entry",
                    map_key=identifier,
                    mapped_value=_number(value.quantize(Decimal("0.0001"))),
                )
            responses = ["RESPONSE"]
    elif kind == "fill":
        share = points / len(data["blanks"])
        for number, answers in enumerate(data["blanks"], start=1):
            identifier = f"RESPONSE_{number}"
            responses.append(identifier)
            declaration = _sub(item, "qti-response-declaration", identifier=identifier, cardinality="single",
                               base_type="string")  # fmt: skip
            _sub(_sub(declaration, "qti-correct-response"), "qti-value", answers[0])
            mapping = _sub(declaration, "qti-mapping", default_value="0")
            for answer in answers:
                _sub(mapping, "qti-map-entry", map_key=answer, mapped_value=_number(share.quantize(Decimal("0.0001"))),
                     case_sensitive="false")  # fmt: skip
    else:
        base_type = "file" if kind == "file" else "string"
        _sub(item, "qti-response-declaration", identifier="RESPONSE", cardinality="single", base_type=base_type)
    _score_outcomes(item, points, with_feedback=bool(version.explanation))

    body = _sub(item, "qti-item-body")
    _append_blocks(body, version.stem)
    if kind in ("single", "multiple"):
        _choices(body, data["options"], [f"CHOICE_{chr(65 + i)}" for i in range(len(data["options"]))],
                 0 if kind == "multiple" else 1)  # fmt: skip
    elif kind == "truefalse":
        _choices(body, ["对", "错"], ["TRUE", "FALSE"], 1)
    elif kind == "fill":
        classes = "blanks any-order" if data.get("any_order") else "blanks"
        line = _sub(body, "p", **{"class": classes})
        for number in range(1, len(data["blanks"]) + 1):
            _append_text(line, f"（{number}）")
            _sub(line, "qti-text-entry-interaction", response_identifier=f"RESPONSE_{number}")
            _append_text(line, " ")
    elif kind == "file":
        _sub(body, "qti-upload-interaction", response_identifier="RESPONSE")
        _rubric_block(body, data, points=points)
    else:
        lines = "4" if kind == "short" else "15"
        _sub(body, "qti-extended-text-interaction", response_identifier="RESPONSE", expected_lines=lines)
        _rubric_block(body, data, points=points)

    processing: etree._Element | None = None
    if kind in ("single", "truefalse") or (kind == "multiple" and not responses):
        _match_processing(item, points)
    elif responses:
        _map_processing(item, responses)
    if version.explanation:
        processing = item.find(q("qti-response-processing"))
        _feedback_processing(item, processing)
        feedback = _sub(item, "qti-modal-feedback", outcome_identifier="FEEDBACK", identifier="EXPLANATION",
                        show_hide="show", title="解析")  # fmt: skip
        _append_blocks(_sub(feedback, "qti-content-body"), version.explanation)
    return item


def item_xml(question: Question, version: QuestionVersion | None = None) -> bytes:
    """The question's (current) version as a validated QTI 3.0 item document."""
    version = version or question.current_version
    assert version is not None
    element = item_element(question, version)
    errors = validation_errors(element)
    if errors:
        # Our own writer broke the schema: a bug to fix, never something a teacher can act on.
        raise AssertionError(f"QTI item of question {question.pk} is not valid: {errors[:3]}")
    return etree.tostring(element, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _lom(parent: etree._Element, version: QuestionVersion) -> None:
    metadata = etree.SubElement(parent, f"{{{CP_NS}}}metadata")
    lom = etree.SubElement(metadata, f"{{{LOM_NS}}}lom", nsmap={"lom": LOM_NS})
    general = etree.SubElement(lom, f"{{{LOM_NS}}}general")
    for tag in version.tags:
        keyword = etree.SubElement(general, f"{{{LOM_NS}}}keyword")
        etree.SubElement(keyword, f"{{{LOM_NS}}}string", language="zh-CN").text = tag
    educational = etree.SubElement(lom, f"{{{LOM_NS}}}educational")
    difficulty = etree.SubElement(educational, f"{{{LOM_NS}}}difficulty")
    etree.SubElement(difficulty, f"{{{LOM_NS}}}source").text = "LOMv1.0"
    etree.SubElement(difficulty, f"{{{LOM_NS}}}value").text = LOM_DIFFICULTY[version.difficulty]
    if version.knowledge_points:
        classification = etree.SubElement(lom, f"{{{LOM_NS}}}classification")
        purpose = etree.SubElement(classification, f"{{{LOM_NS}}}purpose")
        etree.SubElement(purpose, f"{{{LOM_NS}}}source").text = "LOMv1.0"
        etree.SubElement(purpose, f"{{{LOM_NS}}}value").text = "competency"
        for point in version.knowledge_points:
            keyword = etree.SubElement(classification, f"{{{LOM_NS}}}keyword")
            etree.SubElement(keyword, f"{{{LOM_NS}}}string", language="zh-CN").text = point


def package(questions: Iterable[Question], *, title: str = "") -> bytes:
    """A QTI 3.0 content package: ``imsmanifest.xml`` listing one validated item file per question."""
    manifest = etree.Element(f"{{{CP_NS}}}manifest", {"identifier": f"MANIFEST-{uuid.uuid4()}"}, nsmap={None: CP_NS})
    etree.SubElement(manifest, f"{{{CP_NS}}}organizations")
    resources = etree.SubElement(manifest, f"{{{CP_NS}}}resources")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for question in questions:
            version = question.current_version
            assert version is not None
            href = f"items/Q-{question.identifier}.xml"
            archive.writestr(href, item_xml(question, version))
            resource = etree.SubElement(
                resources, f"{{{CP_NS}}}resource", identifier=f"R-{question.identifier}", type=ITEM_TYPE, href=href
            )
            _lom(resource, version)
            etree.SubElement(resource, f"{{{CP_NS}}}file", href=href)
        archive.writestr(
            "imsmanifest.xml", etree.tostring(manifest, xml_declaration=True, encoding="UTF-8", pretty_print=True)
        )
    return out.getvalue()


# --- Reading ------------------------------------------------------------------------------------------------------


def _local(element: Any) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _html_of(elements: Iterable[Any]) -> str:
    """QTI content as the HTML a version stores (namespaces dropped; the draft sanitises it again)."""
    parts = []
    for element in elements:
        if not isinstance(element.tag, str) or _local(element).startswith("qti-"):
            continue
        copy = etree.fromstring(etree.tostring(element))
        for node in copy.iter():
            if isinstance(node.tag, str):
                node.tag = etree.QName(node).localname
                for name in list(node.attrib):
                    if name != "href":
                        del node.attrib[name]
        etree.cleanup_namespaces(copy)
        copy.tail = None
        parts.append(etree.tostring(copy, encoding="unicode", method="html"))
    return "".join(parts)


def _text(element: Any) -> str:
    return "".join(element.itertext()).strip() if element is not None else ""


def _decimal(text: str | None) -> Decimal | None:
    try:
        return Decimal(str(text)) if text not in (None, "") else None
    except ArithmeticError:
        return None


def _fail(message: str) -> ValidationError:
    return ValidationError({"file": [message]})


def read_item(document: bytes, *, name: str = "", meta: dict[str, Any] | None = None) -> QuestionDraft:
    """A QTI 3.0 item (one the bank wrote, or a plain one of the same shapes) as a checked draft."""
    label = name or _("题目")
    try:
        root = etree.fromstring(document, _safe_parser())
    except etree.XMLSyntaxError as error:
        raise _fail(_("%(item)s 不是有效的 XML：%(error)s") % {"item": label, "error": error.msg}) from None
    if root.getroottree().docinfo.doctype:
        # QTI items have no DOCTYPE; one brings entities, which are never expanded here.
        raise _fail(_("%(item)s 含有 DOCTYPE 声明，不予接受") % {"item": label})
    if root.tag != q("qti-assessment-item"):
        raise _fail(_("%(item)s 不是 QTI 3.0 题目（qti-assessment-item）") % {"item": label})
    errors = validation_errors(root)
    if errors:
        raise _fail(_("%(item)s 不符合 QTI 3.0 规范：%(error)s") % {"item": label, "error": errors[0]})
    body = root.find(q("qti-item-body"))
    if body is None:
        raise _fail(_("%(item)s 没有题目正文") % {"item": label})
    declarations = {d.get("identifier"): d for d in root.findall(q("qti-response-declaration"))}
    points = None
    for outcome in root.findall(q("qti-outcome-declaration")):
        if outcome.get("identifier") == "MAXSCORE":
            points = _decimal(_text(outcome.find(f"{q('qti-default-value')}/{q('qti-value')}")))
        elif outcome.get("identifier") == "SCORE" and points is None:
            points = _decimal(outcome.get("normal-maximum"))
    stem_parts = []
    for child in body:
        local = _local(child)
        if local.startswith("qti-") or (
            local == "p" and child.find(f".//{q('qti-text-entry-interaction')}") is not None
        ):
            continue
        stem_parts.append(child)
    stem = _html_of(stem_parts)
    data, type_name = _read_interaction(body, declarations, points or Decimal("1"), label)
    explanation = ""
    for feedback in root.findall(q("qti-modal-feedback")):
        content = feedback.find(q("qti-content-body"))
        explanation += _html_of(content if content is not None else feedback)
    identifier = None
    match = re.fullmatch(r"Q-([0-9a-f-]{36})", root.get("identifier", ""))
    if match:
        identifier = uuid.UUID(match.group(1))
    meta = meta or {}
    try:
        return prepare_draft(
            type=type_name,
            stem=stem,
            data=data,
            points=points if points is not None else Decimal("1"),
            explanation=explanation,
            tags=meta.get("tags", ()),
            knowledge_points=meta.get("knowledge_points", ()),
            difficulty=meta.get("difficulty", 3),
            identifier=identifier,
        )
    except ValidationError as error:
        first = "；".join(f"{key}：{'，'.join(texts)}" for key, texts in error.message_dict.items())
        raise _fail(_("%(item)s 的内容不完整：%(error)s") % {"item": label, "error": first}) from None


def _correct(declaration: Any) -> list[str]:
    if declaration is None:
        return []
    return [_text(value) for value in declaration.findall(f"{q('qti-correct-response')}/{q('qti-value')}")]


def _read_interaction(body: Any, declarations: dict[str, Any], points: Decimal, label: str) -> tuple[dict, str]:
    choice = body.find(f".//{q('qti-choice-interaction')}")
    if choice is not None:
        declaration = declarations.get(choice.get("response-identifier"))
        choices = choice.findall(q("qti-simple-choice"))
        identifiers = [c.get("identifier") for c in choices]
        correct = _correct(declaration)
        if identifiers == ["TRUE", "FALSE"]:
            return {"answer": correct == ["TRUE"]}, "truefalse"
        options = [" ".join(_text(c).split()) for c in choices]
        answer = [identifiers.index(value) for value in correct if value in identifiers]
        if declaration is not None and declaration.get("cardinality") == "multiple":
            scoring = Scoring.ALL
            mapping = declaration.find(q("qti-mapping"))
            if mapping is not None:
                wrong = [
                    _decimal(entry.get("mapped-value"))
                    for entry in mapping.findall(q("qti-map-entry"))
                    if entry.get("map-key") in identifiers and identifiers.index(entry.get("map-key")) not in answer
                ]
                penalty = wrong[0] if wrong else None
                scoring = Scoring.SHARE if penalty is not None and -penalty >= points else Scoring.NET
            return {"options": options, "answer": answer, "scoring": scoring}, "multiple"
        return {"options": options, "answer": answer[0] if answer else -1}, "single"
    entries = body.findall(f".//{q('qti-text-entry-interaction')}")
    if entries:
        blanks = []
        for entry in entries:
            declaration = declarations.get(entry.get("response-identifier"))
            answers = _correct(declaration)
            mapping = declaration.find(q("qti-mapping")) if declaration is not None else None
            if mapping is not None:
                answers += [e.get("map-key", "") for e in mapping.findall(q("qti-map-entry"))]
            blanks.append(list(dict.fromkeys(a for a in answers if a)))
        holder = entries[0].getparent()
        any_order = "any-order" in (holder.get("class") or "").split() if holder is not None else False
        return {"blanks": blanks, "any_order": any_order}, "fill"
    rubric = _read_rubric(body)
    if body.find(f".//{q('qti-upload-interaction')}") is not None:
        return rubric, "file"
    text = body.find(f".//{q('qti-extended-text-interaction')}")
    if text is not None:
        lines = int(text.get("expected-lines") or 0)
        return rubric, "essay" if lines > 6 else "short"
    raise _fail(_("%(item)s 的题型不受支持（支持单选、多选、判断、填空、简答、论述、文件题）") % {"item": label})


def _read_rubric(body: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"grading": Grading.MANUAL, "rubric": [], "reference": ""}
    for block in body.findall(q("qti-rubric-block")):
        if "peer" in (block.get("class") or "").split():
            data["grading"] = Grading.PEER
        for paragraph in block.iter(q("p")):
            classes = (paragraph.get("class") or "").split()
            if "reference" in classes:
                data["reference"] = _text(paragraph)
            elif "formats" in classes:
                data["formats"] = [item for item in _text(paragraph).split(",") if item]
        for row in block.iter(q("tr")):
            cells = [_text(cell) for cell in row if _local(cell) in ("td", "th")]
            if len(cells) == 2 and _decimal(cells[1]) is not None:
                data["rubric"].append({"criterion": cells[0], "points": cells[1]})
    return data


def _manifest_meta(resource: Any) -> dict[str, Any]:
    lom = f"{{{LOM_NS}}}"
    meta: dict[str, Any] = {"tags": [], "knowledge_points": [], "difficulty": 3}
    for keyword in resource.findall(f".//{lom}general/{lom}keyword/{lom}string"):
        meta["tags"].append(_text(keyword))
    for keyword in resource.findall(f".//{lom}classification/{lom}keyword/{lom}string"):
        meta["knowledge_points"].append(_text(keyword))
    value = resource.find(f".//{lom}educational/{lom}difficulty/{lom}value")
    words = {word: number for number, word in LOM_DIFFICULTY.items()}
    if value is not None and _text(value) in words:
        meta["difficulty"] = words[_text(value)]
    return meta


def read_package(upload: Any) -> list[QuestionDraft]:
    """Every item of a QTI 3.0 content package (a zip with ``imsmanifest.xml``) or of one item file, checked; any
    bad item raises a ``ValidationError`` naming it, and nothing is returned."""
    size = getattr(upload, "size", None) or 0
    if size > MAX_PACKAGE_BYTES:
        raise _fail(_("文件不能超过 20 MB"))
    upload.seek(0)
    content = upload.read()
    if not zipfile.is_zipfile(io.BytesIO(content)):
        return [read_item(content, name=getattr(upload, "name", "") or "")]
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = set(archive.namelist())
        if "imsmanifest.xml" not in names:
            raise _fail(_("压缩包里没有 imsmanifest.xml，不是 QTI 内容包"))
        try:
            manifest = etree.fromstring(archive.read("imsmanifest.xml"), _safe_parser())
        except etree.XMLSyntaxError:
            raise _fail(_("imsmanifest.xml 不是有效的 XML")) from None
        items = [
            resource
            for resource in manifest.iter()
            if isinstance(resource.tag, str)
            and _local(resource) == "resource"
            and (resource.get("type") or "").startswith("imsqti_item_xmlv3p0")
        ]
        if not items:
            raise _fail(_("内容包里没有 QTI 3.0 题目"))
        if len(items) > MAX_ITEMS:
            raise _fail(_("一次最多导入 %(n)d 道题") % {"n": MAX_ITEMS})
        total = sum(archive.getinfo(name).file_size for name in names if not name.endswith("/"))
        if total > MAX_UNPACKED_BYTES:
            # A small zip that unpacks to gigabytes is refused before anything is read.
            raise _fail(_("内容包解压后超过 100 MB"))
        drafts = []
        for resource in items:
            href = resource.get("href") or ""
            if href not in names:
                raise _fail(_("内容包缺少文件 %(name)s") % {"name": href})
            info = archive.getinfo(href)
            if info.file_size > MAX_PACKAGE_BYTES:
                raise _fail(_("文件不能超过 20 MB"))
            drafts.append(read_item(archive.read(href), name=href, meta=_manifest_meta(resource)))
    identifiers = [draft.identifier for draft in drafts if draft.identifier is not None]
    if len(identifiers) != len(set(identifiers)):
        raise _fail(_("同一道题在内容包里出现了多次"))
    return drafts
