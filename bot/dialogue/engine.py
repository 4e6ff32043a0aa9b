"""One engine for every conversation: a flow is a table of steps; the engine asks, reads and moves on.

Cancel, skip, the summary with its "แก้ไข", a typed choice label or number counting as the tap, the
choices listed in the text (LINE for PC shows no buttons), resuming after a restart (progress lives in
the database) and expiry are done here, once, for the report form, the fund request and every officer
flow alike. Flows are declared where their business is (bot/intake/report_form.py, bot/fund/chat.py,
bot/officer_flows.py); this module knows none of them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from bot.dialogue.answers import Answer, Invalid, normalise, require_text
from bot.dialogue.choices import Choice, choice_buttons, listing, match
from bot.core.texts import say
from bot.line import messages as m

SUMMARY, EDIT_PICK, DONE = "summary", "edit_pick", "done"
# Kept in the answers of a flow with a fast track (so a restart resumes it too):
URGENT, FAST, ANSWERED = "_urgent", "_fast", "_answered"  # alarm said; fast track taken; steps answered
ASKING, FILED = "asking", "filed"  # the fast track's questions are being asked; its early action is done
CANCEL = frozenset({"ยกเลิก", "cancel"})
SKIP = frozenset({"ข้าม", "skip"})
STOP_EDITING = "ยกเลิกการแก้ไข"
SUMMARY_CHOICES = (Choice("ยืนยัน", "confirm", words=("confirm", "ยืนยันการรายงาน", "ส่ง")),
                   Choice("แก้ไข", "edit", words=("edit",)))


def _nothing(chat) -> dict:
    return {}


def _none(chat) -> list:
    return []


@dataclass(frozen=True)
class Step:
    """One question: how it is asked, which choices it offers, how a typed answer is read, what comes next."""

    name: str
    parse: Callable | None = None  # (answer, chat) -> value, raising Invalid; None: only the choices count
    choices: Callable = _none  # (chat) -> [Choice]; a typed label, word or number counts as the tap
    optional: bool = False  # "ข้าม" is offered and stores None
    next: Callable | None = None  # (answers) -> step name or DONE; None: the next row
    group: str = ""  # what "แก้ไข" on the summary offers; editing walks the group's steps
    store: Callable | None = None  # (answers, value, chat) -> None, may raise Invalid; default answers[name]
    values: Callable = _nothing  # (chat) -> extra values for the question's template
    question: str | None = None  # the template; default "<flow prefix>ask_<name>"
    invalid: str = "invalid_choice"  # said when a choices-only step gets something else
    what: str = "คำตอบ"  # what a choices-only step asks for, named when a sticker or photo comes instead
    numbers: bool = True  # typed numbers pick choices (off where numbers are real answers, e.g. grades)
    buttons: Callable = _none  # (chat) -> buttons that are not choices (LINE's date picker)
    echo: Callable | None = None  # (chat) -> what was understood, said at once before the next question


@dataclass(frozen=True)
class FastTrack:
    """Act first, details after: a word (or button) at any step asks `steps` first (those not answered yet);
    once they are answered `early` acts at once (files the case), then the flow goes on with the steps not
    yet answered, `update` keeping each later answer, and `finish` at the end. `alarm` is said when the
    fast track is taken, or the first time `danger` shows in the answers."""

    taken: Callable  # (answer) -> None, or the text after the word ("" for the word alone)
    steps: tuple[str, ...]
    early: Callable  # (chat) -> replies, once `steps` are answered
    update: Callable  # (chat) -> None, after each later answer
    alarm: Callable  # (chat) -> replies
    danger: Callable = lambda chat: False  # (chat) -> bool


@dataclass(frozen=True)
class Flow:
    """A conversation declared as data: its steps and what happens when it ends."""

    name: str
    steps: tuple[Step, ...]
    finish: Callable  # (chat) -> replies, when the last step is answered (or the summary confirmed)
    cancelled: Callable  # (chat) -> replies, after "ยกเลิก"
    prefix: str = ""  # question templates are "<prefix>ask_<step>"
    summary: Callable | None = None  # (chat) -> text; then the answers are confirmed before finishing
    groups: tuple[tuple[str, str, str], ...] = ()  # (group, label, first step) offered by "แก้ไข"
    values: Callable = _nothing  # (chat) -> values every question's template gets
    intro: Callable = _none  # (chat) -> replies before the first question
    on_media: Callable | None = None  # (chat, answer) -> replies or None, for non-text answers at any step
    minutes: Callable = lambda settings: 30  # how long an unanswered flow waits
    fast: FastTrack | None = None  # report first, details after (the report form)

    def step(self, name: str) -> Step:
        return next(s for s in self.steps if s.name == name)

    def has(self, name: str) -> bool:
        return any(s.name == name for s in self.steps)


@dataclass
class Progress:
    """Where a person is in a flow: stored in the database, so a restart resumes it."""

    flow: str
    step: str
    answers: dict = field(default_factory=dict)
    editing: bool = False
    data: dict = field(default_factory=dict)  # what the flow is about (a case id…), set at its start


@dataclass
class Chat:
    """One turn of one flow: who (the turn), which flow, where they are, and where that is kept."""

    turn: object
    flow: Flow
    progress: Progress
    store: object  # save(progress) / drop()

    session = property(lambda self: self.turn.session)
    now = property(lambda self: self.turn.now)
    settings = property(lambda self: self.turn.settings)
    user_id = property(lambda self: self.turn.user_id)
    answers = property(lambda self: self.progress.answers)
    data = property(lambda self: self.progress.data)


def begin(turn, flow: Flow, store, data: dict | None = None, answers: dict | None = None) -> list[dict]:
    """Start `flow` for this person (replacing whatever they were in) and ask its first question."""
    chat = Chat(turn, flow, Progress(flow.name, flow.steps[0].name, dict(answers or {}), False, dict(data or {})),
                store)
    return flow.intro(chat) + _enter(chat, flow.steps[0].name)


def handle(chat: Chat, answer: Answer) -> list[dict]:
    """Take one message in the flow and say what comes next."""
    progress, flow = chat.progress, chat.flow
    progress.answers = dict(progress.answers)
    words = normalise(answer.text) if answer.kind == "text" else ""
    if words == normalise(STOP_EDITING) and (progress.editing or progress.step == EDIT_PICK):
        return _enter(chat, SUMMARY)
    if words in CANCEL:
        chat.store.drop()
        return flow.cancelled(chat)
    rest = flow.fast.taken(answer) if flow.fast is not None else None
    if rest is not None:
        return _take_fast(chat, rest)
    if answer.kind != "text" and flow.on_media is not None:
        reply = flow.on_media(chat, answer)
        if reply is not None:
            chat.store.save(progress)
            return reply
    if progress.step == SUMMARY:
        return _on_summary(chat, answer)
    if progress.step == EDIT_PICK:
        return _on_edit_pick(chat, answer)
    step = flow.step(progress.step)
    try:
        _keep(chat, step, _read(chat, step, answer, words))
    except Invalid as problem:
        chat.store.save(progress)
        return ask(chat, str(problem))
    echo = step.echo(chat) if step.echo else None
    said = _on_fast_track(chat)
    return said + _enter(chat, _next(chat, step), echo)


def ask(chat: Chat, prefix: str | None = None) -> list[dict]:
    """The current question with its choices as buttons and, for LINE for PC, as a numbered list."""
    progress, flow = chat.progress, chat.flow
    if progress.step == SUMMARY:
        choices = _summary_choices(flow)
        return m.texts(_join(prefix, flow.summary(chat), listing(choices, numbers=False)),
                       choice_buttons(choices, "ยกเลิก"))
    if progress.step == EDIT_PICK:
        choices = _group_choices(flow)
        return [m.text(_join(prefix, say("ask_edit_pick"), listing(choices)), choice_buttons(choices, STOP_EDITING))]
    step = flow.step(progress.step)
    choices = _choices(chat, step)
    body = say(step.question or f"{flow.prefix}ask_{step.name}", answers=progress.answers, editing=progress.editing,
               data=progress.data, **flow.values(chat), **step.values(chat))
    control = STOP_EDITING if progress.editing else "ยกเลิก"
    buttons = choice_buttons(choices, control, step.buttons(chat))
    return m.texts(_join(prefix, body, listing(choices, step.numbers)), buttons)


def _join(*parts: str | None) -> str:
    return "\n\n".join(p for p in parts if p)


def _choices(chat: Chat, step: Step) -> list[Choice]:
    offered = list(step.choices(chat))
    if step.optional and not any(normalise(c.label) in SKIP for c in offered):
        offered.append(Choice("ข้าม", None))
    return offered


def _read(chat: Chat, step: Step, answer: Answer, words: str):
    """The value of an answer: a skip, one of the choices (typed or tapped), else what the step parses."""
    if words in SKIP:
        if not step.optional:
            raise Invalid(say("cannot_skip"))
        return None
    choices = _choices(chat, step)
    chosen = match(choices, answer, step.numbers)
    if chosen is not None:
        return chosen.value
    if step.parse is None:
        require_text(answer, step.what)
        raise Invalid(say(step.invalid, count=len(choices), choices=choices))
    return step.parse(answer, chat)


def _keep(chat: Chat, step: Step, value) -> None:
    if step.store is not None:
        step.store(chat.progress.answers, value, chat)
    else:
        chat.progress.answers[step.name] = value
    answered = chat.progress.answers.get(ANSWERED, [])
    if chat.flow.fast is not None and step.name not in answered:  # a new list: the stored one is compared to it
        chat.progress.answers[ANSWERED] = [*answered, step.name]


def _following(flow: Flow, step: Step, answers: dict) -> str:
    """The step after `step` on the path the answers take (its `next`, else the next row)."""
    if step.next is not None:
        return step.next(answers)
    index = flow.steps.index(step)
    return flow.steps[index + 1].name if index + 1 < len(flow.steps) else DONE

def _next(chat: Chat, step: Step) -> str:
    flow, progress = chat.flow, chat.progress
    following = _following(flow, step, progress.answers)
    if progress.editing and (not flow.has(following) or flow.step(following).group != step.group):
        return SUMMARY
    if progress.answers.get(FAST) == ASKING:
        return _fast_open(chat) or SUMMARY
    if progress.answers.get(FAST) == FILED and not progress.editing:
        following = _first_open(chat)
    if following == DONE and flow.summary is not None:
        return SUMMARY
    return following


def _enter(chat: Chat, name: str, prefix: str | None = None) -> list[dict]:
    progress = chat.progress
    progress.step = name
    if name == SUMMARY:
        progress.editing = False
    if name == DONE:
        chat.store.drop()
        return chat.flow.finish(chat)
    chat.store.save(progress)
    return ask(chat, prefix)


def _summary_choices(flow: Flow) -> list[Choice]:
    return list(SUMMARY_CHOICES if flow.groups else SUMMARY_CHOICES[:1])


def _group_choices(flow: Flow) -> list[Choice]:
    return [Choice(label, group) for group, label, _ in flow.groups]


def _on_summary(chat: Chat, answer: Answer) -> list[dict]:
    chosen = match(_summary_choices(chat.flow), answer, numbers=False)
    if chosen is None:
        chat.store.save(chat.progress)
        return ask(chat, say("summary_expected"))
    if chosen.value == "edit":
        return _enter(chat, EDIT_PICK)
    chat.store.drop()
    return chat.flow.finish(chat)


def _on_edit_pick(chat: Chat, answer: Answer) -> list[dict]:
    chosen = match(_group_choices(chat.flow), answer)
    if chosen is None:
        chat.store.save(chat.progress)
        return ask(chat, say("invalid_edit_pick"))
    chat.progress.editing = True
    first = next(first for group, _, first in chat.flow.groups if group == chosen.value)
    return _enter(chat, first)


# ---- the fast track: act first, details after ------------------------------------------------

def _answered(chat: Chat, name: str) -> bool:
    answers = chat.progress.answers
    return name in answers.get(ANSWERED, ()) or bool(answers.get(name))


def _fast_open(chat: Chat) -> str | None:
    """The fast track's first question not answered yet, or None when they all are."""
    return next((name for name in chat.flow.fast.steps if not _answered(chat, name)), None)


def _first_open(chat: Chat) -> str:
    """The first step on the answers' path not answered yet (DONE when every one is); a step the path
    comes back to (a date asked again) is asked again."""
    flow, name, seen = chat.flow, chat.flow.steps[0].name, set()
    while name != DONE and flow.has(name) and _answered(chat, name) and name not in seen:
        seen.add(name)
        name = _following(flow, flow.step(name), chat.progress.answers)
    return name


def _take_fast(chat: Chat, rest: str) -> list[dict]:
    """The word was said: the alarm at once, then the fast track's questions not answered yet (the text after
    the word answers its first); after filing, the alarm again and the question where they are."""
    answers, fast = chat.progress.answers, chat.flow.fast
    answers[URGENT] = True
    if answers.get(FAST) == FILED:
        said = fast.alarm(chat)
        chat.store.save(chat.progress)
        return said + ask(chat)
    answers[FAST], chat.progress.editing = ASKING, False
    said = fast.alarm(chat)  # on the fast track now: no "send it at once" button, it is being sent
    if rest:  # the text after the word answers the first question (what happened), even if answered before
        chat.progress.step = fast.steps[0]
        return said + handle(chat, Answer("text", rest))
    waiting = _fast_open(chat)
    if waiting is None:
        answers[FAST] = FILED
        return said + fast.early(chat) + _enter(chat, _after_early(chat))
    return said + _enter(chat, waiting)


def _after_early(chat: Chat) -> str:
    following = _first_open(chat)
    return SUMMARY if following == DONE and chat.flow.summary is not None else following


def _on_fast_track(chat: Chat) -> list[dict]:
    """After each answer: the alarm the first time danger shows, the early action once the fast track's
    questions are answered, and every later answer kept."""
    fast, answers = chat.flow.fast, chat.progress.answers
    if fast is None:
        return []
    said = []
    if not answers.get(URGENT) and fast.danger(chat):
        answers[URGENT] = True
        said = fast.alarm(chat)
    if answers.get(FAST) == ASKING and _fast_open(chat) is None:
        answers[FAST] = FILED
        return said + fast.early(chat)
    if answers.get(FAST) == FILED:
        fast.update(chat)
    return said
