"""pydantic v2 models of the personalized and fallback offer bodies.

They are lossless: `Model.from_document(doc).to_document() == doc`, with the
same key order, unknown fields kept and date strings untouched (dates stay `str`
and are checked, never re-formatted). Strict types keep `1.0` from turning
into `1` on the way through.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    model_serializer,
    model_validator,
)


class LosslessModel(BaseModel):
    """Remembers the key order it was loaded with and dumps in that order."""

    model_config = ConfigDict(extra="allow", strict=True, populate_by_name=True)
    _key_order: tuple[str, ...] = PrivateAttr(default=())

    @model_validator(mode="wrap")
    @classmethod
    def _remember_key_order(cls, data: Any, handler):
        model = handler(data)
        if isinstance(data, dict):
            model._key_order = tuple(data)
        return model

    @model_serializer(mode="wrap")
    def _dump_in_loaded_order(self, handler) -> dict:
        dumped = handler(self)
        order = [k for k in self._key_order if k in dumped]
        order += [k for k in dumped if k not in self._key_order]
        return {k: dumped[k] for k in order}

    @classmethod
    def from_document(cls, doc: dict):
        return cls.model_validate(doc)

    def to_document(self) -> dict:
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)


class Component(LosslessModel):
    type: str
    format: str
    language: list[str] | None = None  # optional: Adobe's documented fallback offer has none
    content: str | None = None
    deliveryURL: str | None = None
    linkURL: str | None = None


class Representation(LosslessModel):
    channel: str
    placement: str
    components: list[Component]


class SegmentNamespace(LosslessModel):
    code: str


class SegmentIdentity(LosslessModel):
    segment_id: str = Field(alias="_id")
    namespace: SegmentNamespace | None = None


class SelectionConstraint(LosslessModel):
    startDate: str | None = None
    endDate: str | None = None
    profileConstraintType: Literal["none", "eligibilityRule", "anySegments", "allSegments"] | None = None
    eligibilityRule: str | None = None
    segmentIdentities: list[SegmentIdentity] | None = None


class Rank(LosslessModel):
    priority: int = Field(ge=0)


class CappingConstraint(LosslessModel):
    globalCap: int | None = Field(default=None, ge=1)
    profileCap: int | None = Field(default=None, ge=1)


class Repeat(LosslessModel):
    enabled: bool
    unit: Literal["day", "week", "month"]
    unitCount: int = Field(ge=1)


class FrequencyCap(LosslessModel):
    enabled: bool
    limit: int = Field(ge=1)
    startDate: str | None = None
    endDate: str | None = None
    scope: Literal["global", "profile"]
    entity: Literal["offer", "placement"]
    repeat: Repeat | None = None


class FallbackOffer(LosslessModel):
    name: str
    description: str | None = None
    status: Literal["draft", "approved", "archived"] | None = None
    representations: list[Representation]
    selectionConstraint: SelectionConstraint | None = None
    rank: Rank | None = None
    characteristics: dict[str, str] | None = None
    tags: list[str] | None = Field(default=None, max_length=20)


class PersonalizedOffer(FallbackOffer):
    cappingConstraint: CappingConstraint | None = None
    frequencyCappingConstraints: list[FrequencyCap] | None = Field(default=None, max_length=10)


MODEL_FOR_TYPE: dict[str, type[FallbackOffer]] = {
    "personalized": PersonalizedOffer,
    "fallback": FallbackOffer,
}
