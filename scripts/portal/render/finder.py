"""[[finder]]: "What can I get?" made from the offer, never from prose.

Without JavaScript the reader gets every entitlement as a card, grouped by who it is for. With
JavaScript (assets/finder.js, loaded by this block only), a few questions filter the cards; the
questions and cards are here, the facts to filter by are a JSON data block (not a script, so the
Content-Security-Policy needs no hash for it), and the filtering matches content.finder.Answers.

What only a result needs (why a card is shown while an answer is "Not sure", and its share link) is
written once, in a <template>, and finder.js adds it to the cards it shows: on every card of the full
list they weighed more than a tenth of the page, and without JavaScript there is no answer to explain, and the
card's title is already the link to share.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable

from ..content import finder
from ..content.entitlements import AUDIENCES, Entitlement
from ..content.pages import page_url
from .entitlements import state_text
from .html import root_path
from .players import entitlement_player, voice_text

# The clip of one entitlement for a reader of a language, or None: an object with `path` (from the
# site root, "audio/ab12.mp3"), `voice_lang`, `voice` and `role`, as audio.published.PublishedClip.
# The build passes its own; without one (a test, a check) there are none.
EntitlementClip = Callable[[str, str], object]


def entitlement_clip(lang: str, entitlement_id: str) -> None:
    return None


def finder_html(offer, lang: str, page_path: str, site_url: str, words: dict[str, str],
                clip: EntitlementClip = entitlement_clip, for_speech: bool = False) -> str:
    """`page_path` is the finder page's address inside the site, such as 'ar/finder/'."""
    entitlements = offer.entitlements(lang)
    translated = offer.by_language.get(lang, {}) if lang != offer.default_language else None
    links = _Links(lang, offer.default_language, page_path, site_url, clip)

    def card(entitlement: Entitlement, level: int, spoken: bool = False) -> str:
        english_title = translated is not None and entitlement.id not in translated
        return card_html(entitlement, lang, words, links, level, english_title, spoken)

    if for_speech:
        # A listener hears the list of titles only: each card plays its entitlement's own clip, so the
        # page's clip does not say every entitlement's words a second time (nor store them twice).
        return "<ul>" + "".join(f"<li>{html.escape(e.title)}</li>" for e in entitlements) + "</ul>"
    everything = _grouped(entitlements, words, card)
    # Each question and the cards' templates are in the page; finder.js only shows and hides.
    return "\n".join([
        '<div class="portal-finder">',
        f'<link rel="stylesheet" href="{links.up}assets/finder.css">',
        _questions(entitlements, words),
        f'<p id="portal-finder-count" class="portal-finder__count" role="status" aria-live="polite" '
        f'data-count="{html.escape(words["finder_count"])}" data-none="{html.escape(words["finder_count_none"])}">'
        "</p>",
        '<section id="portal-finder-results" class="portal-finder__results" aria-labelledby="portal-finder-results-title" '
        'hidden>',
        f'<h2 id="portal-finder-results-title">{html.escape(words["finder_results"])}</h2>',
        f'<p class="portal-share"><a id="portal-finder-share" href="{html.escape(links.page_address)}" '
        f'data-portal-share class="portal-share__link">{html.escape(words["finder_share_results"])}</a></p>',
        '<ul class="portal-finder__cards"></ul>',
        "</section>",
        result_words(entitlements, words),
        everything,
        '<script type="application/json" id="portal-finder-data">'
        + json.dumps(finder.data(entitlements), ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c") + "</script>",
        f'<script src="{links.up}assets/finder.js" defer></script>',
        "</div>",
    ])


class _Links:
    def __init__(self, lang: str, default: str, page_path: str, site_url: str, clip: EntitlementClip):
        self.lang = lang
        self.up = root_path(page_path)
        self.prefix = "" if lang == default else f"{lang}/"
        self.base = site_url.rstrip("/") + "/" if site_url else ""
        self.page_address = (self.base + page_path) if self.base else ""
        self.clip = clip

    def section(self, entitlement: Entitlement) -> str:
        """Relative, to keep the page light: portal.js shares the full address the browser makes of it."""
        return f"{self.up}{self.prefix}{page_url(entitlement.rel)}#{entitlement.id}"

    def audio(self, entitlement: Entitlement):
        """(address from this page, the clip) or None."""
        found = self.clip(self.lang, entitlement.id)
        return (self.up + found.path.lstrip("/"), found) if found else None


def card_html(entitlement: Entitlement, lang: str, words: dict[str, str], links: _Links, level: int,
              english_title: bool = False, spoken: bool = False) -> str:
    """One card: its title (a link to its section), state, summary, how to get it and its audio.
    finder.js adds a result's share link and reasons (result_words)."""
    esc = html.escape
    state = entitlement.facts.state
    english = ' lang="en" dir="ltr"' if entitlement.lang != lang else ""
    title_mark = ' lang="en" dir="ltr"' if english_title else ""
    parts = [
        f'<li class="portal-card portal-card--{state}" data-entitlement="{esc(entitlement.id)}">',
        "" if spoken else f'<h{level} class="portal-card__title"><a href="{esc(links.section(entitlement))}"'
                          f"{title_mark}>{esc(entitlement.title)}</a></h{level}>",
        f'<p class="portal-state"><strong>{esc(state_text(entitlement, lang, words))}</strong></p>',
        f'<p class="portal-summary"{english}>{esc(entitlement.words.summary)}</p>',
        f'<p class="portal-facts__label"><strong>{esc(words["facts_how"])}:</strong></p>',
        f"<ol{english}>" + "".join(f"<li>{esc(step)}</li>" for step in entitlement.words.steps) + "</ol>",
    ]
    if not spoken:
        audio = links.audio(entitlement)
        if audio:
            url, clip = audio
            # The same player as under the entitlement's heading: its speeds, and what kind of voice it is.
            parts.append(entitlement_player(url, entitlement.title, clip.voice_lang != lang,
                                            voice_text(clip.voice, clip.role, words), words))
    return "".join(parts) + "</li>"


def unsure_text(entitlement: Entitlement, reason: str, words: dict[str, str]) -> str:
    """Why a result is shown while an answer is "Not sure", for one reason Answers.unsure gives."""
    facts = entitlement.facts
    if reason == "who":
        return words["finder_unsure_who"].format(audience="; ".join(words[f"audience_{a}"] for a in facts.audience))
    if reason == "age":
        return words["finder_unsure_age"].format(low=facts.ages[0], high=facts.ages[1])
    return words["finder_unsure_conditions"].format(conditions=" ".join(words[f"condition_{c}"] for c in facts.conditions))


def unsure_key(entitlement: Entitlement, reason: str) -> str:
    """The facts a reason's sentence names, as finder.js writes them from the data block (data-key):
    the same sentence serves every card with those facts."""
    facts = entitlement.facts
    return {"who": " ".join(facts.audience), "age": "-".join(map(str, facts.ages or ())),
            "conditions": " ".join(facts.conditions)}[reason]


def result_words(entitlements: list[Entitlement], words: dict[str, str]) -> str:
    """The words finder.js puts on each result, once for the page: the share link, and each different
    sentence saying why a card is shown while an answer is "Not sure" (a few: cards share audiences,
    ages and conditions). Inert until copied, and in the page's HTML, so they are in the reader's
    language and isolated as the rest of the page is."""
    esc = html.escape
    parts = [f'<template id="portal-finder-words"><p class="portal-share"><a data-portal-share '
             f'class="portal-share__link">{esc(words["share_entitlement"])}</a></p>']
    sentences = {}
    for entitlement in entitlements:
        for reason in finder.Answers().unsure(entitlement):  # every reason this card can have
            sentences.setdefault((reason, unsure_key(entitlement, reason)), unsure_text(entitlement, reason, words))
    parts += [f'<p class="portal-finder__unsure" data-unsure="{reason}" data-key="{esc(key)}">{esc(text)}</p>'
              for (reason, key), text in sentences.items()]
    return "".join(parts) + "</template>"


def _grouped(entitlements: list[Entitlement], words: dict[str, str], card: Callable[[Entitlement, int], str]) -> str:
    """The answer without JavaScript: every entitlement under each audience it is for."""
    esc = html.escape
    out = ['<section id="portal-finder-all" class="portal-finder__all" aria-labelledby="portal-finder-all-title">',
           f'<h2 id="portal-finder-all-title">{esc(words["finder_all"])}</h2>',
           f"<p>{esc(words['finder_all_intro'])}</p>"]
    for audience in AUDIENCES:
        own = [e for e in entitlements if audience in e.facts.audience]
        out.append(f'<h3 id="for-{audience}">{esc(words["audience_" + audience])}</h3>')
        if own:
            out.append('<ul class="portal-finder__cards">' + "".join(card(e, 4) for e in own) + "</ul>")
        else:
            out.append(f"<p>{esc(words['finder_none_for'])}</p>")
    out.append("</section>")
    return "\n".join(out)


def _choice(name: str, value: str, label: str) -> str:
    """The radio inside its label: labelled without an id and a for= on every choice."""
    checked = " checked" if value == finder.NOT_SURE else ""
    return (f'<label class="portal-finder__choice"><input type="radio" name="{name}" value="{html.escape(value)}"'
            f'{checked}> {html.escape(label)}</label>')


def _radios(name: str, values, words: dict[str, str], hidden: bool = False) -> str:
    legend = html.escape(words[f"finder_{name}"])
    # Whom a professional helps: the audiences' own names, as the full list's headings use them.
    labels = [words["finder_not_sure"] if v == finder.NOT_SURE else
              words[f"audience_{v}"] if name == "helping" else words[f"finder_{name}_{v}"] for v in values]
    choices = "".join(_choice(name, v, label) for v, label in zip(values, labels))
    hide = " hidden" if hidden else ""
    return f'<fieldset class="portal-finder__question" data-question="{name}"{hide}><legend>{legend}</legend>{choices}</fieldset>'


def _questions(entitlements: list[Entitlement], words: dict[str, str]) -> str:
    """The form, hidden until finder.js shows it: without JavaScript it could not answer."""
    esc = html.escape
    parts = ['<form id="portal-finder-form" class="portal-finder__form" aria-labelledby="portal-finder-title" hidden>',
             f'<h2 id="portal-finder-title">{esc(words["finder_questions"])}</h2>',
             f"<p>{esc(words['finder_questions_hint'])}</p>",
             _radios("who", finder.WHO, words),
             _radios("helping", finder.HELPING, words, hidden=True)]
    ages = finder.age_choices(entitlements)
    if ages:
        youngest, oldest = ages
        options = [f'<option value="">{esc(words["finder_not_sure"])}</option>']
        for age in range(youngest, oldest + 1):
            if age == youngest and youngest > 0:
                label = words["finder_age_under"].format(age=youngest + 1)
            elif age == oldest:
                label = words["finder_age_over"].format(age=oldest)
            else:
                label = str(age)
            options.append(f'<option value="{age}">{esc(label)}</option>')
        parts.append(f'<div class="portal-finder__question" data-question="age"><label for="portal-finder-age">'
                     f'{esc(words["finder_age"])}</label> <select id="portal-finder-age" name="age">'
                     + "".join(options) + "</select></div>")
    parts += [_radios("work", tuple(finder.WORK), words), _radios("nrpf", tuple(finder.NRPF), words),
              f'<p><button type="reset" class="md-button">{esc(words["finder_start_again"])}</button></p>',
              "</form>"]
    return "\n".join(parts)
