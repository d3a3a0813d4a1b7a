"""The values handed in for a user task's form fields: typed, checked, one error per field.

The same rules for the web form (text) and the API (JSON); nothing is completed on an error.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from engine.bpmn.forms import TEXT_MAX, FormField, parse_text
from engine.errors import FormInvalid, InvalidInput


def form_values(fields: tuple[FormField, ...], given: Mapping, current: Mapping) -> dict:
    """The process variables the fields set, from what was given (raise FormInvalid).

    A field left empty gets its default value (None without one); a read-only field keeps the
    variable it shows (its default when there is none) and refuses another value.
    """
    values, errors = {}, {}
    for f in fields:
        try:
            value = _value(f, given.get(f.id))
            if f.readonly:
                shown = current.get(f.id, _default(f))
                if value is not None and value != shown:
                    raise InvalidInput("form_field_readonly", label=f.name)
                value = shown
            elif value is None:
                value = _default(f)
                if f.required and value is None:
                    raise InvalidInput("form_field_required", label=f.name)
            else:
                _check_bounds(f, value)
        except InvalidInput as error:
            errors[f.id] = error
            continue
        values[f.id] = value
    if errors:
        raise FormInvalid(errors)
    return values


def _default(f: FormField):
    return parse_text(f.type, f.default, f.options) if f.default is not None else None


def _value(f: FormField, raw):
    """The typed value of what was given (None for nothing or an empty text)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if f.type == "boolean" and isinstance(raw, bool):
        return raw
    if f.type == "long" and isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)
    if f.type == "date" and isinstance(raw, date):
        return raw
    if not isinstance(raw, str) or len(raw) > TEXT_MAX:
        if f.type == "string":
            raise InvalidInput("form_field_too_long", label=f.name, limit=f.maxlength)
        raise _wrong(f)
    try:
        return parse_text(f.type, raw, f.options) if f.type != "string" else raw.strip()
    except ValueError:
        raise _wrong(f) from None


def _wrong(f: FormField) -> InvalidInput:
    """The refusal of a value that is not of the field's type."""
    if f.type == "long":
        return InvalidInput("form_field_number", label=f.name)
    if f.type == "boolean":
        return InvalidInput("form_field_boolean", label=f.name)
    if f.type == "date":
        return InvalidInput("form_field_date", label=f.name)
    if f.type == "enum":
        options = ", ".join(name for _id, name in f.options)
        return InvalidInput("form_field_choice", label=f.name, options=options)
    return InvalidInput("form_field_text", label=f.name)


def _check_bounds(f: FormField, value) -> None:
    if f.type == "string":
        if len(value) > f.maxlength:
            raise InvalidInput("form_field_too_long", label=f.name, limit=f.maxlength)
        if f.minlength is not None and len(value) < f.minlength:
            raise InvalidInput("form_field_too_short", label=f.name, limit=f.minlength)
    if f.min is not None and value < f.min:
        raise InvalidInput("form_field_below", label=f.name, limit=f.min)
    if f.max is not None and value > f.max:
        raise InvalidInput("form_field_above", label=f.name, limit=f.max)
