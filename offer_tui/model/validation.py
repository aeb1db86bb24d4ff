"""Every rule the API would reject, checked before anything is sent.

Two layers: the shape rules (shape.py, held to the strict pydantic models by a
property test) catch shapes and types; the rules below catch what a type cannot say
(formats that fit their type, dates in order, placements used twice, ...). Both report JSON paths such as
`representations[0].components[0].format`, so the UI can jump to the field.
`validate_offer` never raises, whatever it is given.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from .constants import (
    CHANNEL_PREFIX,
    CHANNELS,
    FORMAT_FOR_TYPE,
    MAX_OFFER_BYTES,
    OFFER_TYPES,
)
from .dates import add_years, parse_rfc3339
from .advice import end_date_warnings, utc_now
from .document import to_json
from .issues import Issue, Report, Severity  # noqa: F401 - re-exported: the model's public names
from .jsonpath import json_path
from .safejson import json_problems, show_path
from .shape import check_shape
from offer_tui.log import swallowed

_MEDIA_TYPE = re.compile(r"^[A-Za-z0-9][\w.+-]*/[A-Za-z0-9][\w.+-]*$")
# BCP 47 language tags (RFC 5646), without the rarely used extension/private forms.
_BCP47 = re.compile(
    r"^(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})"
    r"(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|[0-9]{3}))?"
    r"(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*"
    r"(?:-x(?:-[A-Za-z0-9]{1,8})+)?$"
)
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def _pydantic_message(error: dict) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    messages = {
        "missing": "is required",
        "string_type": "must be a string",
        "int_type": "must be a whole number",
        "bool_type": "must be true or false",
        "list_type": "must be a list",
        "dict_type": "must be an object",
        "model_type": "must be an object",
        "model_attributes_type": "must be an object",
    }
    if kind in messages:
        return messages[kind]
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected')}"
    if kind == "greater_than_equal":
        return f"must be at least {ctx.get('ge')}"
    if kind == "too_long":
        return f"has {ctx.get('actual_length')} items; at most {ctx.get('max_length')} are allowed"
    return str(error.get("msg", "is not valid")).rstrip(".")


class _Checker:
    def __init__(self, doc: dict, offer_type: str, strict: bool, now: datetime) -> None:
        self.doc = doc
        self.now = now
        self.offer_type = offer_type
        self.strict = strict
        self.report = Report()
        self._flagged: set[str] = set()

    # -- recording -------------------------------------------------------
    def error(self, path: str, message: str) -> None:
        # One error per field: the first (usually the type error) says the most.
        if path in self._flagged:
            return
        self._flagged.add(path)
        self.report.errors.append(Issue(path, message, "error"))

    def warn(self, path: str, message: str) -> None:
        self.report.warnings.append(Issue(path, message, "warning"))

    # -- the two layers --------------------------------------------------
    def run(self) -> Report:
        check_shape(self.doc, self.offer_type, self.error)
        if self.strict:  # adds nothing when the two layers agree, as the property test demands
            self.check_with_pydantic()
        self.check_name()
        self.check_representations()
        self.check_selection()
        self.check_capping()
        self.check_limits()
        return self.report

    def check_with_pydantic(self) -> None:
        # Imported here: the wizard's live (non-strict) checks never pay for pydantic.
        from pydantic import ValidationError

        from .offer import MODEL_FOR_TYPE

        try:
            MODEL_FOR_TYPE[self.offer_type].model_validate(self.doc)
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                self.error(json_path(err["loc"]), _pydantic_message(err))
        except Exception as exc:  # pragma: no cover - pydantic bug guard: never crash on junk
            swallowed("the pydantic layer of validation")
            self.error("", f"cannot be checked ({type(exc).__name__})")

    # -- rules -----------------------------------------------------------
    def check_name(self) -> None:
        name = self.doc.get("name")
        if isinstance(name, str) and not name.strip():
            self.error("name", "is required: give the offer a name")
        if self.doc.get("status") == "archived":
            self.warn("status", "an archived offer cannot be delivered; use draft or approved")

    def check_representations(self) -> None:
        reps = self.doc.get("representations")
        if not isinstance(reps, list):
            return
        if not reps:
            self.error("representations", "needs at least one representation")
        seen: dict[str, int] = {}
        for i, rep in enumerate(reps):
            if not isinstance(rep, dict):
                continue
            base = f"representations[{i}]"
            channel = rep.get("channel")
            if isinstance(channel, str):
                if not channel.startswith(CHANNEL_PREFIX):
                    self.error(f"{base}.channel", f"must be a channel URI starting with {CHANNEL_PREFIX}")
                elif channel[len(CHANNEL_PREFIX):] not in CHANNELS:
                    self.warn(f"{base}.channel", f"'{channel[len(CHANNEL_PREFIX):]}' is not a known channel type")
            placement = rep.get("placement")
            if isinstance(placement, str):
                if not placement.strip():
                    self.error(f"{base}.placement", "is required: pick a placement")
                elif placement in seen:
                    self.error(
                        f"{base}.placement",
                        f"placement {placement} is already used by representations[{seen[placement]}]",
                    )
                else:
                    seen[placement] = i
            components = rep.get("components")
            if isinstance(components, list):
                if not components:
                    self.error(f"{base}.components", "needs at least one component")
                for j, comp in enumerate(components):
                    if isinstance(comp, dict):
                        self.check_component(f"{base}.components[{j}]", comp)

    def check_component(self, base: str, comp: dict) -> None:
        ctype, fmt = comp.get("type"), comp.get("format")
        if isinstance(fmt, str):
            if not _MEDIA_TYPE.match(fmt):
                self.error(f"{base}.format", f"'{fmt}' is not a media type like text/html")
            elif isinstance(ctype, str) and ctype in FORMAT_FOR_TYPE:
                wanted = FORMAT_FOR_TYPE[ctype]
                fits = fmt.startswith(wanted) if wanted.endswith("/") else fmt == wanted
                if not fits:
                    shown = f"{wanted}*" if wanted.endswith("/") else wanted
                    article = "an" if ctype[0] in "aeiouh" else "a"
                    self.error(f"{base}.format", f"{article} {ctype} component needs format {shown}, not {fmt}")
        if isinstance(ctype, str) and not ctype.strip():
            self.error(f"{base}.type", "is required")
        content = comp.get("content")
        if ctype == "imagelink":
            url = comp.get("deliveryURL")
            if url is None or (isinstance(url, str) and not url.strip()):
                self.error(f"{base}.deliveryURL", "an image link needs a deliveryURL")
            elif isinstance(url, str) and not _URL.match(url):
                self.error(f"{base}.deliveryURL", "must be an http(s) URL")
        elif content is None or (isinstance(content, str) and not content.strip()):
            self.error(f"{base}.content", "is required")
        elif isinstance(content, str) and (ctype == "json" or fmt == "application/json"):
            try:
                json.loads(content)
            except (json.JSONDecodeError, RecursionError) as exc:
                where = f" at line {exc.lineno} column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else ""
                self.error(f"{base}.content", f"is not valid JSON{where}")
        link = comp.get("linkURL")
        if isinstance(link, str) and link.strip() and not _URL.match(link):
            self.error(f"{base}.linkURL", "must be an http(s) URL")
        languages = comp.get("language")
        if isinstance(languages, list):
            if not languages:  # the key is optional; an empty list says nothing the API needs
                self.warn(f"{base}.language", "is an empty list: name a language like en-us, or leave the key out")
            for k, tag in enumerate(languages):
                if isinstance(tag, str) and not _BCP47.match(tag):
                    self.error(f"{base}.language[{k}]", f"'{tag}' is not a BCP 47 language tag like en-us")

    def check_window(self, base: str, holder: dict, max_years: int | None = None,
                     consequence: str = "the offer will never be shown") -> None:
        parsed = {}
        for key in ("startDate", "endDate"):
            value = holder.get(key)
            if isinstance(value, str):
                try:
                    parsed[key] = parse_rfc3339(value)
                except ValueError as exc:
                    self.error(f"{base}.{key}", str(exc))
        start, end = parsed.get("startDate"), parsed.get("endDate")
        if end:
            self.report.warnings.extend(end_date_warnings(f"{base}.endDate", holder.get("endDate"), self.now,
                                                           consequence))
        if start and end:
            if end <= start:
                self.error(f"{base}.endDate", "must come after the start date")
            elif max_years and end > add_years(start, max_years):
                self.error(f"{base}.endDate", f"the capping window spans more than {max_years} years")

    def check_selection(self) -> None:
        sc = self.doc.get("selectionConstraint")
        if not isinstance(sc, dict):
            return
        self.check_window("selectionConstraint", sc)
        kind = sc.get("profileConstraintType")
        if kind == "eligibilityRule":
            rule = sc.get("eligibilityRule")
            if not (isinstance(rule, str) and rule.strip()):
                self.error("selectionConstraint.eligibilityRule", "pick the decision rule to apply")
        elif kind in ("anySegments", "allSegments"):
            segments = sc.get("segmentIdentities")
            if not (isinstance(segments, list) and segments):
                self.error("selectionConstraint.segmentIdentities", f"{kind} needs at least one audience (segment id)")
        if self.offer_type == "fallback":
            if kind not in (None, "none"):
                self.error("selectionConstraint.profileConstraintType", "a fallback offer has no eligibility: use none")

    def has_capping(self) -> bool:
        legacy = self.doc.get("cappingConstraint")
        caps = self.doc.get("frequencyCappingConstraints")
        if isinstance(legacy, dict) and any(legacy.get(k) is not None for k in ("globalCap", "profileCap")):
            return True
        return isinstance(caps, list) and any(isinstance(c, dict) and c.get("enabled") for c in caps)

    def check_capping(self) -> None:
        caps = self.doc.get("frequencyCappingConstraints")
        if self.offer_type == "fallback":
            if caps or (isinstance(self.doc.get("cappingConstraint"), dict) and self.doc["cappingConstraint"]):
                key = "frequencyCappingConstraints" if caps else "cappingConstraint"
                self.error(key, "a fallback offer cannot be capped")
            return
        if isinstance(caps, list):
            for i, cap in enumerate(caps):
                if isinstance(cap, dict):
                    self.check_window(f"frequencyCappingConstraints[{i}]", cap, max_years=2,
                                      consequence="this cap no longer applies")
        if has_mobile_representation(self.doc) and self.has_capping():
            self.warn(
                "frequencyCappingConstraints",
                "capping is not supported in mobile Experience Edge workflows; it will not apply to the mobile representation",
            )

    def check_limits(self) -> None:
        try:
            size = len(to_json(self.doc).encode("utf-8"))
        except (TypeError, ValueError, RecursionError):
            self.error("", "cannot be written as JSON")
            return
        if size > MAX_OFFER_BYTES:
            self.warn("", f"the offer is {size // 1024} KB; Adobe advises staying under 300 KB")


def has_mobile_representation(doc: Any) -> bool:
    """Whether the offer shows on the mobile channel, where capping does not apply (Experience Edge)."""
    reps = doc.get("representations") if isinstance(doc, dict) else None
    return isinstance(reps, list) and any(
        isinstance(r, dict) and r.get("channel") == CHANNEL_PREFIX + "mobile" for r in reps
    )


def validate_offer(
    doc: Any, offer_type: str = "personalized", *, strict: bool = False, now: datetime | None = None
) -> Report:
    """Check `doc` against every rule; never raises, whatever it is given.

    The shape rules (shape.py, plain Python) say what the strict pydantic models say, at the
    same paths and in the same words: tests/test_model_properties.py holds the two together on
    generated offers and junk. So every caller (the wizard on each keystroke and at submit,
    `validate`, `submit`, bulk, copy) gets the same report without the models, and
    `offer-tui validate` does not load pydantic (~100 ms of its start-up). `strict` runs the
    models as well: the cross-check the tests make.
    """
    if offer_type not in OFFER_TYPES:
        return Report(errors=[Issue("", f"offer type must be one of {', '.join(OFFER_TYPES)}")])
    if not isinstance(doc, dict):
        return Report(errors=[Issue("", "an offer must be a JSON object")])
    unfit = json_problems(doc)  # too deep, NaN / Infinity, huge integers, lone surrogates
    if unfit:
        return Report(errors=[Issue(show_path(path) if path else "", message) for path, message in unfit])
    try:
        return _Checker(doc, offer_type, strict, now or utc_now()).run()
    except RecursionError:
        return Report(errors=[Issue("", "is nested too deeply to be an offer")])
