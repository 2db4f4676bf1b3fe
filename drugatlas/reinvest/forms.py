"""The calculator's forms. Both use GET, so the address bar always holds the whole calculation.

`ChooseForm` picks the state and the dollar year and starts from their defaults.
`CalculatorForm` holds every adjustable input; a blank field falls back to its default, and
each bad value gets a message that names the input and says what would be accepted.
"""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from drugatlas import formatting
from . import model
from .defaults import Defaults


class NumberField(forms.FloatField):
    """A number as people type it: "20,000", "$373.72" and "70%" are all accepted."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", "").replace("$", "").replace("%", "").strip()
        return super().to_python(value)


def number_text(value: float) -> str:
    """The shortest text that reads back as exactly this number (for fields and permalinks)."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


class ChooseForm(forms.Form):
    state = forms.ChoiceField(label=gettext_lazy("State"), required=False)
    dollars = forms.TypedChoiceField(label=gettext_lazy("Dollars of the year"), coerce=int, required=False)

    def __init__(self, *args, states=(), years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("Choose a state"))] + [
            (s.abbr, s.name) for s in states]
        self.fields["dollars"].choices = [(y, str(y)) for y in sorted(years, reverse=True)]


class CalculatorForm(forms.Form):
    """Every input of `model.Inputs` but the dollar year (which `ChooseForm` sets)."""

    def __init__(self, data, *, defaults: Defaults, arrests_default: float | None,
                 no_arrests_reason: str = ""):
        self.defaults = defaults
        self.default_values = {p.name: defaults.value(p.name) for p in model.PARAMS}
        self.default_values["arrests"] = arrests_default
        self.no_arrests_reason = no_arrests_reason
        filled = {name: number_text(v) for name, v in self.default_values.items() if v is not None}
        for name in self.default_values:
            given = data.get(name)
            if given is not None and given.strip() != "":
                filled[name] = given
        super().__init__(filled)
        for p in model.PARAMS:
            label = _(p.label)
            self.fields[p.name] = NumberField(
                label=label, required=False, error_messages={
                    "invalid": _("%(label)s: enter a number, such as 2.5 or 20,000.")
                    % {"label": label}},
                widget=forms.TextInput(attrs={
                    "inputmode": "decimal", "autocomplete": "off", "size": 12,
                    "data-max": number_text(p.maximum), "data-step": number_text(p.step),
                    "data-kind": p.kind, "aria-describedby": f"id_{p.name}-about"}))

    def full_clean(self):
        super().full_clean()
        # Point each bad field at its message, for screen readers.
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"id_{name}-error id_{name}-about"

    def clean(self):
        cleaned = super().clean()
        values = {}
        for p in model.PARAMS:
            if p.name in self.errors:
                continue
            value = cleaned.get(p.name)
            if value is None:
                value = self.default_values[p.name]
            if value is None:
                self.add_error(p.name, self._missing_message(p))
                continue
            values[p.name] = value
        for name, problem in model.input_errors(values).items():
            self.add_error(name, self._range_message(model.PARAM_BY_NAME[name], problem))
        cleaned.update(values)
        return cleaned

    def _missing_message(self, p: model.Param) -> str:
        if p.name == "arrests":
            return self.no_arrests_reason or _(
                "Enter the number of possession arrests a year: there is no arrest figure to "
                "start from.")
        return _("%(label)s: enter a figure; no cited default is loaded for it.") % {
            "label": _(p.label)}

    @staticmethod
    def _range_message(p: model.Param, problem: str) -> str:
        label = _(p.label)
        if problem == "cannot be negative":
            return _("%(label)s cannot be negative.") % {"label": label}
        if problem == "must be more than 0":
            return _("%(label)s must be more than 0 (the savings are divided by it).") % {
                "label": label}
        if problem.startswith("must be at most"):
            return _("%(label)s must be at most %(maximum)s.") % {
                "label": label, "maximum": formatting.number(p.maximum)}
        return _("%(label)s: enter a number, such as 2.5 or 20,000.") % {"label": label}

    def inputs(self, dollars_year: int) -> model.Inputs:
        """The validated inputs (call after is_valid())."""
        return model.Inputs(dollars_year=dollars_year,
                            **{p.name: float(self.cleaned_data[p.name]) for p in model.PARAMS})
