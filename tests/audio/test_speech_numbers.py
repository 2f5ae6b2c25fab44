"""Numbers you can hear: the speech text reads phone numbers and short codes digit by digit, in
their groups, in every voiced language; amounts, years and dates keep their natural reading; and
`make audio` writes what each voice says to reports/speech/<lang>/<page>.txt."""

from __future__ import annotations

import re
import subprocess

import pytest
from conftest import REPO
from portal.configuration import load_site
from portal.content.pages import load_content
from portal.speech.report import report_path, speech_report, write_speech_reports
from portal.speech.sections import Section
from portal.speech.text import speak_numbers, speech_text

# The crisis page's sentences in each voiced language, as its translations write them.
SAID = [
    ("en", "Samaritans: call 116 123. It is free.", "Samaritans: call 1 1 6, 1 2 3. It is free."),
    ("en", "Call 999. Ask for the police.", "Call 9 9 9. Ask for the police."),
    ("en", "If you are under 19, call 0800 1111.", "If you are under 19, call 0 8 0 0, 1 1 1 1."),
    ("en", "Text SHOUT to 85258.", "Text SHOUT to 8 5 2 5 8."),
    ("en", "Call the helpline on 0808 800 4444.", "Call the helpline on 0 8 0 8, 8 0 0, 4 4 4 4."),
    ("ar", "اتصل بالرقم 116 123.", "اتصل بالرقم 1 1 6, 1 2 3."),
    ("ar", "اتصل بالرقم ٩٩٩.", "اتصل بالرقم ٩ ٩ ٩."),
    ("fa", "کلمهٔ SHOUT را به 85258 پیام (SMS) بفرستید.", "کلمهٔ SHOUT را به 8 5 2 5 8 پیام (SMS) بفرستید."),
    ("am", "ወደ 999 ይደውሉ።", "ወደ 9 9 9 ይደውሉ።"),
    ("sq", "Telefono 0800 1111, falas.", "Telefono 0 8 0 0, 1 1 1 1, falas."),
    ("vi", "gọi 116 123. Miễn phí.", "gọi 1 1 6, 1 2 3. Miễn phí."),
]


@pytest.mark.parametrize("lang, written, heard", SAID)
def test_phone_numbers_are_read_digit_by_digit_in_their_groups(lang, written, heard):
    assert speech_text("", written, lang) == heard


KEPT = [
    ("en", "It saves about £800 a year.", "It saves about 800 pounds a year."),
    ("en", "In March 2024, 36 care leavers (67%) had applied.", "In March 2024, 36 care leavers (67 percent) had applied."),
    ("en", "For ages 18-25.", "For ages 18 to 25."),
    ("en", "Checked on 2026-11-30.", "Checked on 30/11/2026."),
    ("sq", "Rreth £800 në vit.", None),
]


@pytest.mark.parametrize("lang, written, heard", KEPT)
def test_money_years_dates_and_ages_keep_their_natural_reading(lang, written, heard):
    said = speech_text("", written, lang)
    assert said == heard if heard else re.search(r"\b800\b", said)


def test_an_entitlement_step_with_a_number_is_read_the_same_way():
    step = "- Call NHS 111 and ask for the health card.\n- Or ring 0800 1111."
    assert speech_text("", step, "en") == "Call NHS 1 1 1 and ask for the health card. Or ring 0 8 0 0, 1 1 1 1."


def test_a_web_address_keeps_its_words_and_spells_its_digits():
    assert speak_numbers("See https://111.nhs.uk/ now") == "See https://1 1 1.nhs.uk/ now"


@pytest.mark.parametrize("voice", ["en-gb", "ar", "fa", "am", "sq", "vi"])
def test_espeak_ng_says_spaced_digits_one_by_one(voice):
    """What the engine makes of "116" and of "1 1 6": three digit words are the digit "1" said twice
    and "6" once, in the voice's own words, and nothing else."""
    def phonemes(text: str) -> list[str]:
        out = subprocess.run(["espeak-ng", "-q", "-x", "-v", voice, text], capture_output=True, text=True, check=True)
        return out.stdout.split()

    one, six = phonemes("1")[0], phonemes("6")[0]
    assert phonemes("1 1 6") == [one, one, six]
    assert phonemes("116") != [one, one, six]


def test_the_report_holds_each_section_in_order_and_drops_pages_no_longer_there(tmp_path):
    sections = [Section(None, "Free travel. You can travel free."), Section("free-bus-and-tram", "Free bus travel.")]
    written = write_speech_reports(tmp_path, {("ar", "offer/travel.md"): sections})
    assert written == [tmp_path / "ar" / "offer" / "travel.txt"] == [report_path(tmp_path, "ar", "offer/travel.md")]
    text = written[0].read_text(encoding="utf-8")
    assert text == speech_report(sections)
    assert text.index("[page]") < text.index("[free-bus-and-tram]") < text.index("Free bus travel.")
    write_speech_reports(tmp_path, {("en", "index.md"): sections[:1]})
    assert not written[0].exists() and (tmp_path / "en" / "index.txt").exists()


YEAR = re.compile(r"^(19|20)\d\d$")
NUMBER_WORDS_OVER_NINE = re.compile(r"\b(ten|eleven|twelve|\w+teen|twenty|thirty|forty|fifty|sixty|seventy|eighty|"
                                    r"ninety|hundred|thousand)\b", re.I)


def crisis_speech(lang: str) -> str:
    from portal.render.speech import page_sections, speech_context

    content = load_content(load_site(REPO))
    sections = page_sections(content, lang, "help-now.md", speech_context(content))
    return speech_report(sections)


@pytest.mark.parametrize("lang", ["en", "ar", "fa", "am", "sq", "vi"])
def test_the_crisis_page_speech_holds_no_phone_number_as_a_quantity(lang):
    """The words written to reports/speech/<lang>/help-now.txt: no run of three or more digits
    except a year, every crisis number there digit by digit, and no number word over nine."""
    text = crisis_speech(lang)
    runs = [run for run in re.findall(r"\d{3,}", text) if not YEAR.match(run)]
    assert runs == [], runs
    for digits in ("9 9 9", "1 1 6, 1 2 3", "8 5 2 5 8", "0 8 0 0, 1 1 1 1"):
        assert digits in text, digits
    if lang == "en":
        assert NUMBER_WORDS_OVER_NINE.findall(text) == []


def test_make_audio_writes_what_each_voice_says_page_by_page(fixture_site, fake_audio, capsys):
    from portal.cli import main
    from portal.speech.report import FOLDER

    assert main(["--root", str(fixture_site), "audio", "--json", str(fixture_site / "reports" / "audio.json")]) == 0
    assert "What each voice says, to proofread" in capsys.readouterr().out
    folder = fixture_site / FOLDER
    written = sorted(path.relative_to(folder).as_posix() for path in folder.glob("**/*.txt"))
    assert "en/offer/travel.txt" in written and "ar/offer/travel.txt" in written
    travel = (folder / "en" / "offer" / "travel.txt").read_text(encoding="utf-8")
    assert travel.startswith("[page]\n") and "[free-bus-and-tram]" in travel
