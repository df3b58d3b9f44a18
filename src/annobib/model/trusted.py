"""Models as the cache stores them, built back without validating them again.

A document that the cache holds was validated when it was stored; its second validation
(pydantic checking each of a work's ~110 fields and a Python validator per person) was most of
the cost of a warm load. :func:`dump` writes each model as ``(class name, {field: value})``
with the fields that differ from their defaults (what ``model_dump(exclude_defaults=True)``
keeps), enums as their values; :func:`load` builds the same objects back directly. The result
equals what validating the dumped YAML data gives, field sets included
(``tests/model/test_trusted.py``). Only for data this module dumped: nothing is checked.
"""

from __future__ import annotations

import sys
import types
import typing
from collections.abc import Callable
from enum import Enum
from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)

_new = object.__new__
_set = object.__setattr__

# a field's kind: what a value of it is made of, read once per class from its annotation
_PLAIN, _MODEL, _MODELS, _ENUM = 0, 1, 2, 3


class _Plan:
    """How to dump and build one model class."""

    __slots__ = ("cls", "defaults", "factories", "fields", "mutable", "name", "plain")

    def __init__(self, cls: type[BaseModel]) -> None:
        if cls.__private_attributes__ or cls.model_config.get("extra") == "allow":
            raise TypeError(f"{cls.__name__}: private or extra attributes are not supported")
        self.cls = cls
        self.name = sys.intern(f"{cls.__module__}.{cls.__qualname__}")
        #: name -> (kind, the model class or the enum's members by value, default)
        self.fields: dict[str, tuple[int, Any, Any]] = {}
        #: the defaults of fields that need no copy, and the factories of those that do
        self.defaults: dict[str, Any] = {}
        self.factories: list[tuple[str, Callable[[], Any]]] = []
        for name, info in cls.model_fields.items():
            kind, what = _kind(info.annotation, cls, name)
            if kind == _ENUM:
                what = {member.value: member for member in what}
            if info.default_factory is not None:
                factory = typing.cast("Callable[[], Any]", info.default_factory)
                self.factories.append((name, factory))
                default = factory()
                self.defaults[name] = None  # a place in field order, filled per model
            else:
                default = info.default
                self.defaults[name] = default
            self.fields[name] = (kind, what, default)
        #: fields whose value can change in place (a list appended to) without the model
        #: noting them as set
        self.mutable = tuple(name for name, _ in self.factories)
        #: every field holds plain values (a person, a text): built with one update
        self.plain = all(kind == _PLAIN for kind, _, _ in self.fields.values())


def _kind(annotation: Any, owner: type, name: str) -> tuple[int, Any]:
    """The kind of a field's values; ``None`` allowed alongside any of them."""
    origin = typing.get_origin(annotation)
    if origin is typing.Union or origin is types.UnionType:
        kinds = {_kind(a, owner, name) for a in typing.get_args(annotation) if a is not type(None)}
        if len(kinds) != 1:
            raise TypeError(f"{owner.__name__}.{name}: a union of several kinds")
        return kinds.pop()
    if origin is typing.Annotated:
        return _kind(typing.get_args(annotation)[0], owner, name)
    if origin is list:
        (item,) = typing.get_args(annotation)
        kind, what = _kind(item, owner, name)
        if kind == _MODEL:
            return _MODELS, what
        if kind != _PLAIN:
            raise TypeError(f"{owner.__name__}.{name}: a list of {item}")
        return _PLAIN, None
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return _MODEL, annotation
        if issubclass(annotation, Enum):
            return _ENUM, annotation
        if annotation in (str, int, float, bool):
            return _PLAIN, None
    if origin is typing.Literal and all(
        type(a) in (str, int, bool) for a in typing.get_args(annotation)
    ):
        return _PLAIN, None
    if origin is dict:
        key, value = typing.get_args(annotation)
        if key is str and (value is str or value is Any or typing.get_origin(value) is dict):
            return _PLAIN, None  # text, or JSON-like values as a format wrote them
    raise TypeError(f"{owner.__name__}.{name}: no plan for {annotation!r}")


_PLANS: dict[type[BaseModel], _Plan] = {}
_BY_NAME: dict[str, _Plan] = {}


def _plan(cls: type[BaseModel]) -> _Plan:
    plan = _PLANS.get(cls)
    if plan is None:
        plan = _Plan(cls)
        _PLANS[cls] = plan
        _BY_NAME[plan.name] = plan
        for kind, what, _ in plan.fields.values():
            if kind in (_MODEL, _MODELS):
                _plan(what)
    return plan


Dumped = tuple[str, dict[str, Any]]
"""A dumped model: its class's module and name, and the fields that differ from their
defaults (models in them dumped too, enums as their values)."""


def dump(model: BaseModel) -> Dumped:
    """``model`` as plain data (tuples, dicts, lists, text, numbers: what ``marshal``
    stores) for :func:`load`."""
    plan = _PLANS.get(type(model)) or _plan(type(model))
    fields = plan.fields
    values = model.__dict__
    out: dict[str, Any] = {}
    given = model.__pydantic_fields_set__
    names: Any = given
    for name in plan.mutable:
        if name not in given and values[name]:
            names = [*given, *(n for n in plan.mutable if n not in given)]
            break
    for name in names:
        value = values[name]
        kind, _, default = fields[name]
        if value is None or value == default:
            if value == default:
                continue
            out[name] = None
        elif kind == _PLAIN:
            out[name] = value
        elif kind == _MODEL:
            out[name] = dump(value)
        elif kind == _MODELS:
            out[name] = [dump(v) for v in value]
        else:
            out[name] = value.value
    return plan.name, out


def load(cls: type[M], data: Dumped) -> M:
    """The model :func:`dump` gave ``data`` for, without validating it again."""
    _plan(cls)
    built = _build(data)
    if not isinstance(built, cls):
        raise TypeError(f"not a dumped {cls.__name__}")
    return built


def _build(data: Dumped) -> Any:
    name, given = data
    plan = _BY_NAME[name]
    values = plan.defaults.copy()
    for name, factory in plan.factories:
        if name not in given:
            values[name] = factory()
    if plan.plain:
        values.update(given)
    else:
        fields = plan.fields
        for name, value in given.items():
            kind, what, _ = fields[name]
            if value is None or kind == _PLAIN:
                values[name] = value
            elif kind == _MODEL:
                values[name] = _build(value)
            elif kind == _MODELS:
                values[name] = [_build(v) for v in value]
            else:
                values[name] = what[value]
    model = _new(plan.cls)
    _set(model, "__dict__", values)
    _set(model, "__pydantic_fields_set__", set(given))
    _set(model, "__pydantic_extra__", None)
    _set(model, "__pydantic_private__", None)
    return model
