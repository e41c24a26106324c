"""ConfigError: the one error type for a setting that is not allowed, worded for a student."""
from .say import Msg
from .text import clip, fmt_value

MAX_SHOWN = 60  # characters of a user's value echoed back in a message: enough to recognise it


class ConfigError(ValueError):
    """A setting that is not allowed (its message a Msg: English as a str, any language on the page). `.field` names it; `.errors` maps every bad field to its message.

    `label` is how the message names the field (the field table gives "Samples (samples)"); a rule over two
    fields names both in `allowed` and lists them in `.fields`."""

    def __init__(self, field_name: str, value, allowed: str, label: str | None = None, errors: dict | None = None,
                 fields: tuple = ()):
        shown = clip(value if isinstance(value, str) else fmt_value(value), MAX_SHOWN)
        self.field, self.value, self.allowed = field_name, value, allowed
        self.fields = fields or (field_name,)
        shown = shown if isinstance(shown, Msg) else repr(shown)  # a user's text quoted; "a number of 40 digits" not
        if label:
            self.message = Msg("error.got", label=label, shown=shown, allowed=allowed)
        else:
            self.message = Msg("error.unknown", name=repr(clip(field_name, 30)), allowed=allowed)
        self.errors = errors or {field_name: self.message}
        super().__init__(self.message)
