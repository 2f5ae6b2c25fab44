"""An entitlement's facts, in the reader's language, in place of its ```entitlement block.

The state comes first, so a plan is never read as something you can get now: "Planned in
March 2024. Ask your personal adviser whether it is running now."
"""

from __future__ import annotations

import html
from functools import lru_cache

from babel.core import UnknownLocaleError
from babel.dates import format_date

from ..content import languages
from ..content.entitlements import Entitlement
from ..content.ui_strings import long_date


def month_name(entitlement_month, locale: str) -> str:
    """"March 2024" in the reader's language; the ISO month where Babel has no such locale."""
    return _month_name(entitlement_month.first_day(), str(entitlement_month), locale)


@lru_cache(maxsize=None)  # Babel's formatting is slow, and a site names the same few months on every page
def _month_name(first_day, iso_month: str, locale: str) -> str:
    try:
        return format_date(first_day, format="LLLL y", locale=locale)
    except (UnknownLocaleError, ValueError):
        return iso_month


def state_text(entitlement: Entitlement, lang: str, words: dict[str, str]) -> str:
    month = month_name(entitlement.facts.as_of, languages.get(lang).babel_locale)
    return words[f"state_{entitlement.facts.state}"].format(month=month)


def facts_from_text(entitlement: Entitlement, lang: str, words: dict[str, str]) -> str:
    """"Facts from: <source>, <month>." The source's month: when the facts were reported, not a check."""
    month = month_name(entitlement.facts.as_of, languages.get(lang).babel_locale)
    return words["facts_from"].format(source=entitlement.facts.source, month=month)


def verified_text(entitlement: Entitlement, lang: str, words: dict[str, str]) -> str:
    """Whether staff have confirmed the facts with the service itself, and when."""
    day = entitlement.facts.verified
    if day is None:
        return words["facts_not_verified"]
    return words["facts_verified"].format(date=long_date(day, languages.get(lang).babel_locale))


def _dates_html(entitlement: Entitlement, lang: str, words: dict[str, str]) -> str:
    """Two plain statements: where and when the facts come from, and whether the service confirmed them."""
    esc = html.escape
    month = month_name(entitlement.facts.as_of, languages.get(lang).babel_locale)
    source = esc(entitlement.facts.source)
    if lang != languages.DEFAULT.code:  # the source is the English title of a committee report
        source = f'<span class="portal-source" lang="en" dir="ltr">{source}</span>'
    marker = "\x00"
    from_text = esc(words["facts_from"].format(source=marker, month=month)).replace(marker, source)
    return (f'<p class="portal-facts__dates"><span class="portal-facts__from">{from_text}</span> '
            f'<span class="portal-facts__verified">{esc(verified_text(entitlement, lang, words))}</span></p>')


def who_text(entitlement: Entitlement, words: dict[str, str]) -> str:
    facts = entitlement.facts
    who = "; ".join(words[f"audience_{a}"] for a in facts.audience)
    if facts.ages:
        who += ", " + words["facts_ages"].format(low=facts.ages[0], high=facts.ages[1])
    return who


def _facts_blocks(entitlement: Entitlement, lang: str, words: dict[str, str]) -> tuple[str, list[str]]:
    """The opening <div> and the HTML blocks inside it: the state, the summary, who, cost and steps."""
    facts = entitlement.facts
    english_words = entitlement.lang != lang
    mark = ' lang="en" dir="ltr"' if english_words else ""
    esc = html.escape
    opening = (f'<div class="portal-facts portal-facts--{facts.state}" data-entitlement="{esc(entitlement.id)}" '
               f'data-state="{facts.state}"')
    blocks = [
        f'<p class="portal-state portal-state--{facts.state}"><strong>{esc(state_text(entitlement, lang, words))}'
        "</strong></p>",
        f'<p class="portal-summary"{mark}>{esc(entitlement.words.summary)}</p>',
        f'<p class="portal-facts__label"><strong>{esc(words["facts_who"])}:</strong> {esc(who_text(entitlement, words))}</p>',
    ]
    if facts.conditions:
        blocks += [f"<p>{esc(words['facts_conditions'])}</p>",
                   "\n".join(["<ul>", *[f"<li>{esc(words['condition_' + c])}</li>" for c in facts.conditions], "</ul>"])]
    blocks += [
        f'<p class="portal-facts__label"><strong>{esc(words["facts_cost"])}:</strong> '
        f'<span{mark}>{esc(entitlement.words.cost)}</span></p>',
        f'<p class="portal-facts__label"><strong>{esc(words["facts_how"])}:</strong></p>',
        "\n".join([f"<ol{mark}>", *[f"<li>{esc(step)}</li>" for step in entitlement.words.steps], "</ol>"]),
    ]
    blocks.append(_dates_html(entitlement, lang, words))
    if english_words:
        blocks.append(f'<p class="portal-notice">{esc(words["facts_in_english"])}</p>')
    return opening, blocks


def facts_markdown(entitlement: Entitlement, lang: str, words: dict[str, str]) -> str:
    """Markdown inside an HTML block (md_in_html), as the speech text reads it."""
    opening, blocks = _facts_blocks(entitlement, lang, words)
    return "\n\n".join([opening + " markdown>", *blocks, "</div>"])


def facts_html(entitlement: Entitlement, lang: str, words: dict[str, str]) -> str:
    """The finished HTML md_in_html makes of facts_markdown, for pages: it need not go through Markdown."""
    opening, blocks = _facts_blocks(entitlement, lang, words)
    return "\n".join([opening + ">", *blocks, "</div>"])
