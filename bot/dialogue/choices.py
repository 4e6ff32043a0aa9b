"""The choices a question offers: as buttons, as a numbered list, and recognised when typed."""
from __future__ import annotations

from dataclasses import dataclass

from bot.core.texts import say
from bot.dialogue.answers import Answer, normalise
from bot.line import messages as m

QUICK_REPLY_LIMIT = 13  # LINE shows at most 13 quick-reply buttons


@dataclass(frozen=True)
class Choice:
    """One answer offered as a button; its label, what the button sends, its words or its number count."""

    label: str  # on the button (LINE clips it to 20 characters) and typed
    value: object = "__label__"  # what the step stores; by default the label
    says: str | None = None  # what the button sends when tapped (default: the label)
    text: str | None = None  # how the numbered list shows it (default: what the button sends)
    words: tuple[str, ...] = ()  # other typed words meaning this choice

    def __post_init__(self):
        if self.value == "__label__":
            object.__setattr__(self, "value", self.says or self.label)

    @property
    def shown(self) -> str:
        return self.text or self.says or self.label


def match(choices: list[Choice], answer: Answer, numbers: bool = True) -> Choice | None:
    """The choice the person tapped or typed (its label, its words, or its number in the list)."""
    if answer.kind != "text":
        return None
    typed = normalise(answer.text)
    if not typed:
        return None
    for number, choice in enumerate(choices, start=1):
        names = (choice.label, choice.says or "", choice.text or "", *choice.words)
        if typed in {normalise(n) for n in names if n} or (numbers and typed == str(number)):
            return choice
    return None


def listing(choices: list[Choice], numbers: bool = True) -> str:
    """The choices written out, for LINE for PC where buttons do not show."""
    if not choices:
        return ""
    return say("choices_list", choices=[c.shown for c in choices], numbers=numbers)


def choice_buttons(choices: list[Choice], control: str | None = None, extra: list[dict] | None = None) -> list[dict]:
    """Quick replies: extra buttons, then the choices, then the control word; never more than LINE shows."""
    room = QUICK_REPLY_LIMIT - len(extra or []) - (1 if control else 0)
    buttons = list(extra or []) + [m.say_button(c.label, c.says) for c in choices[:room]]
    return buttons + ([m.say_button(control)] if control else [])
